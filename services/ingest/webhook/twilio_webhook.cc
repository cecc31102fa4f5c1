#include "services/ingest/webhook/twilio_webhook.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "lib/sms/phone.h"
#include "services/ingest/webhook/form.h"
#include "services/ingest/webhook/twilio_status.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::ingest::webhook {
namespace {

constexpr size_t kMaxSidLength = 64;

WebhookResponse Text(int status, std::string body) {
  WebhookResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "application/x-www-form-urlencoded", optionally with "; charset=utf-8".
bool IsFormContentType(std::string_view content_type) {
  const size_t semi = content_type.find(';');
  if (Lowered(Trimmed(content_type.substr(0, semi))) != "application/x-www-form-urlencoded") {
    return false;
  }
  if (semi == std::string_view::npos) return true;
  std::string param = Lowered(Trimmed(content_type.substr(semi + 1)));
  param.erase(std::remove(param.begin(), param.end(), '"'), param.end());
  return param.empty() || param == "charset=utf-8";
}

// The value of a parameter that must appear at most once. nullopt when
// absent; INVALID_ARGUMENT "<name>: repeated".
absl::StatusOr<std::optional<std::string_view>> Single(const FormParams& params,
                                                       std::string_view name) {
  std::optional<std::string_view> found;
  for (const auto& [k, v] : params) {
    if (k != name) continue;
    if (found.has_value())
      return absl::InvalidArgumentError(absl::StrCat(std::string(name), ": repeated"));
    found = v;
  }
  return found;
}

absl::StatusOr<std::string_view> Required(const FormParams& params, std::string_view name) {
  auto v = Single(params, name);
  if (!v.ok()) return v.status();
  if (!v->has_value())
    return absl::InvalidArgumentError(absl::StrCat(std::string(name), ": required"));
  return **v;
}

absl::StatusOr<std::string_view> Sid(const FormParams& params, std::string_view name) {
  auto sid = Required(params, name);
  if (!sid.ok()) return sid;
  if (sid->empty()) return absl::InvalidArgumentError(absl::StrCat(std::string(name), ": empty"));
  if (sid->size() > kMaxSidLength) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(name), ": longer than ", kMaxSidLength, " characters"));
  }
  return sid;
}

absl::StatusOr<int> NumMedia(const FormParams& params, int max_media) {
  auto v = Single(params, "NumMedia");
  if (!v.ok()) return v.status();
  if (!v->has_value() || (*v)->empty()) return 0;
  const std::string_view s = **v;
  int n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n < 0) {
    return absl::InvalidArgumentError("NumMedia: not a non-negative integer");
  }
  if (n > max_media) {
    return absl::InvalidArgumentError(
        absl::StrCat("NumMedia: ", n, " is over the limit of ", max_media));
  }
  return n;
}

// The pipelines name fields as the gRPC API spells them; a provider reads
// the names of its own form.
std::string FormField(std::string_view api_field) {
  for (const auto& [api, form] : {std::pair<std::string_view, std::string_view>{"from", "From"},
                                  {"to", "To"},
                                  {"body", "Body"},
                                  {"num_media", "NumMedia"},
                                  {"provider_message_id", "MessageSid"}}) {
    if (api_field == api) return std::string(form);
  }
  return std::string(api_field);
}

WebhookResponse Twiml() {
  WebhookResponse ok;
  ok.content_type = "text/xml";
  ok.body = std::string(kEmptyTwiml);
  return ok;
}

// Bounded metric label from a "Field: reason" message.
std::string ReasonOf(std::string_view message) {
  const size_t colon = message.find(':');
  if (colon == std::string_view::npos || colon > 24) return "invalid";
  return Lowered(absl::StrCat("invalid_", std::string(message.substr(0, colon))));
}

// A number as E.164 or short-code digits; empty when absent or unparseable.
std::string OptionalNumber(const FormParams& params, std::string_view name) {
  auto v = Single(params, name);
  if (!v.ok() || !v->has_value() || (*v)->empty()) return "";
  if (sms::IsShortCode(**v)) return std::string(**v);
  auto e164 = sms::NormalizeE164(**v);
  return e164.ok() ? *std::move(e164) : "";
}

}  // namespace

TwilioWebhook::TwilioWebhook(std::shared_ptr<const config::TenantDirectory> tenants,
                             InboundPipeline& inbound, ReceiptPipeline& receipts,
                             IngestMetrics& metrics, TwilioWebhookOptions options)
    : tenants_(std::move(tenants)),
      inbound_(inbound),
      receipts_(receipts),
      metrics_(metrics),
      options_(std::move(options)) {}

void TwilioWebhook::CountInbound(std::string_view reason) const {
  metrics_.received
      .Add({{"source", "webhook"}, {"outcome", "rejected"}, {"reason", std::string(reason)}})
      .Increment();
}

void TwilioWebhook::CountReceipt(std::string_view reason) const {
  metrics_.receipts
      .Add({{"source", "webhook"}, {"outcome", "rejected"}, {"reason", std::string(reason)}})
      .Increment();
}

WebhookResponse TwilioWebhook::Unavailable(std::string_view what) const {
  WebhookResponse r = Text(503, absl::StrCat(std::string(what), " not stored, retry later"));
  r.headers.emplace_back("Retry-After", std::to_string(options_.retry_after.count()));
  return r;
}

std::variant<TwilioWebhook::Authenticated, TwilioWebhook::Rejected> TwilioWebhook::Authenticate(
    const WebhookRequest& req, std::string_view route) const {
  auto reject = [&](int status, std::string body, std::string reason) {
    log::Info("webhook request rejected", {{"tenant", req.tenant.substr(0, 64)},
                                           {"route", route},
                                           {"status", status},
                                           {"reason", reason}});
    return Rejected{Text(status, std::move(body)), std::move(reason)};
  };
  const config::Tenant* tenant = tenants_->FindTenant(req.tenant);
  if (tenant == nullptr) return reject(404, "unknown tenant", "unknown_tenant");
  if (tenant->webhook_auth_token.empty()) {
    return reject(403, "webhooks are not enabled for this tenant (no webhook_auth_token)",
                  "no_auth_token");
  }
  if (!req.signature.has_value() || req.signature->empty()) {
    return reject(403, "missing X-Twilio-Signature", "missing_signature");
  }
  if (!IsFormContentType(req.content_type)) {
    return reject(415, "Content-Type must be application/x-www-form-urlencoded (UTF-8)",
                  "unsupported_media_type");
  }
  if (req.body.size() > options_.max_body_bytes) {
    return reject(413, absl::StrCat("body over ", options_.max_body_bytes, " bytes"),
                  "body_too_large");
  }
  auto params = ParseForm(req.body);
  if (!params.ok()) return reject(400, std::string(params.status().message()), "malformed_form");
  // Checked after parsing because the signature covers the decoded values;
  // nothing in the body is acted on before it is verified.
  if (!VerifyTwilioSignature(tenant->webhook_auth_token, req.url, *params, *req.signature)) {
    log::Warn("webhook signature invalid", {{"tenant", tenant->id}, {"route", route}});
    return Rejected{Text(403, "invalid signature"), "invalid_signature"};
  }
  return Authenticated{tenant, *std::move(params)};
}

WebhookResponse TwilioWebhook::HandleSms(const WebhookRequest& req) const {
  auto auth = Authenticate(req, "sms");
  if (auto* rejected = std::get_if<Rejected>(&auth)) {
    CountInbound(rejected->reason);
    return std::move(rejected->response);
  }
  const auto& [tenant, params] = std::get<Authenticated>(auth);
  const std::string& tenant_id = tenant->id;
  // Form-level problems (a field missing or repeated) are answered here;
  // what the values mean is the pipeline's to judge.
  auto invalid = [&](const absl::Status& st) {
    const std::string msg(st.message());
    CountInbound(ReasonOf(msg));
    log::Info("webhook inbound rejected", {{"tenant", tenant_id}, {"reason", ReasonOf(msg)}});
    return Text(400, msg);
  };
  auto sid = Sid(params, "MessageSid");
  if (!sid.ok()) return invalid(sid.status());
  if (auto account = Sid(params, "AccountSid"); !account.ok()) return invalid(account.status());
  auto from = Required(params, "From");
  if (!from.ok()) return invalid(from.status());
  auto to = Required(params, "To");
  if (!to.ok()) return invalid(to.status());
  auto body = Required(params, "Body");
  if (!body.ok()) return invalid(body.status());
  auto num_media = NumMedia(params, options_.max_media);
  if (!num_media.ok()) return invalid(num_media.status());
  InboundItem item;
  for (int i = 0; i < *num_media; ++i) {
    const std::string name = absl::StrCat("MediaUrl", i);
    auto url = Required(params, name);
    if (!url.ok()) {
      return invalid(absl::InvalidArgumentError(
          absl::StrCat(name, ": required when NumMedia is ", *num_media)));
    }
    item.media_urls.emplace_back(*url);
  }
  item.from = std::string(*from);
  item.to = std::string(*to);
  item.body = std::string(*body);
  item.provider = "twilio";
  item.provider_message_id = std::string(*sid);
  item.num_media = *num_media;

  // The path names the provider account's tenant: a message to a number of
  // another tenant must not be taken in that tenant's name.
  const Authorizer owns_number = [&tenant_id](const config::Tenant& owner) {
    return owner.id == tenant_id
               ? absl::OkStatus()
               : absl::PermissionDeniedError(absl::StrCat("not a number of tenant ", tenant_id));
  };
  const InboundOutcome o =
      std::move(inbound_.Receive({item}, v1::INBOUND_SOURCE_WEBHOOK, "webhook", owns_number)[0]);
  if (o.stored()) return Twiml();
  if (o.outcome != v1::RECEIVE_OUTCOME_REJECTED) return Unavailable("message");
  const v1::Rejection& r = o.rejection;
  log::Info("webhook inbound rejected", {{"tenant", tenant_id},
                                         {"field", r.field()},
                                         {"reason_code", v1::ReasonCode_Name(r.reason_code())}});
  if (r.field() == "to" && (r.reason_code() == v1::REASON_CODE_UNKNOWN_DESTINATION ||
                            r.reason_code() == v1::REASON_CODE_SENDER_NOT_ALLOWED)) {
    // The same answer whether the number is nobody's or another tenant's: a
    // tenant does not learn which numbers the others have.
    return Text(400,
                absl::StrCat("To: ", o.message.to(), " is not a number of tenant ", tenant_id));
  }
  return Text(400, absl::StrCat(FormField(r.field()), ": ", r.description()));
}

WebhookResponse TwilioWebhook::HandleStatus(const WebhookRequest& req) const {
  auto auth = Authenticate(req, "status");
  if (auto* rejected = std::get_if<Rejected>(&auth)) {
    CountReceipt(rejected->reason);
    return std::move(rejected->response);
  }
  const auto& [tenant, params] = std::get<Authenticated>(auth);
  auto invalid = [&](const absl::Status& st) {
    const std::string msg(st.message());
    CountReceipt(ReasonOf(msg));
    log::Info("webhook receipt rejected", {{"tenant", tenant->id}, {"reason", ReasonOf(msg)}});
    return Text(400, msg);
  };
  auto sid = Sid(params, "MessageSid");
  if (!sid.ok()) return invalid(sid.status());
  auto raw_status = Required(params, "MessageStatus");
  if (!raw_status.ok()) return invalid(raw_status.status());
  auto mapped = MapTwilioStatus(*raw_status);
  if (!mapped.ok()) return invalid(mapped.status());
  auto error_code = Single(params, "ErrorCode");
  if (!error_code.ok()) return invalid(error_code.status());

  v1::DeliveryEvent event;
  event.set_status(mapped->status);
  event.set_reason_code(mapped->reason);
  if (error_code->has_value()) event.set_carrier_error_code(std::string(**error_code));
  event.set_provider("twilio");
  event.set_provider_message_id(std::string(*sid));
  event.set_provider_status(std::string(*raw_status));
  // Numbers help reconcile an unmatched receipt; one that does not parse is
  // left out rather than failing the receipt.
  event.set_to(OptionalNumber(params, "To"));
  event.set_from(OptionalNumber(params, "From"));
  const ReceiptOutcome o =
      std::move(receipts_.MatchAndPublish({std::move(event)}, "webhook", tenant->id)[0]);
  switch (o.result.outcome()) {
    case v1::RECEIVE_OUTCOME_ACCEPTED:
      log::Info("receipt accepted", {{"tenant", tenant->id},
                                     {"message_id", o.event.message_id()},
                                     {"provider_message_id", *sid},
                                     {"provider_status", o.event.provider_status()},
                                     {"unmatched", o.event.unmatched()}});
      return Text(200, "");
    case v1::RECEIVE_OUTCOME_REJECTED:
      log::Info("webhook receipt rejected",
                {{"tenant", tenant->id}, {"field", o.result.rejection().field()}});
      return Text(400, absl::StrCat(FormField(o.result.rejection().field()), ": ",
                                    o.result.rejection().description()));
    default:
      log::Warn("webhook receipt not stored",
                {{"tenant", tenant->id}, {"provider_message_id", *sid}, {"status", o.error}});
      return Unavailable("receipt");
  }
}

}  // namespace smsflow::ingest::webhook
