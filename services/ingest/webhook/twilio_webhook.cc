#include "services/ingest/webhook/twilio_webhook.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "lib/metrics/metrics_server.h"
#include "lib/sms/message_id.h"
#include "lib/sms/phone.h"
#include "services/ingest/webhook/form.h"
#include "services/ingest/webhook/inbound_record.h"
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

// ValidateInbound names fields as the gRPC API spells them; a provider reads
// the names of its own form.
std::string FormFieldMessage(const absl::Status& st) {
  std::string msg(st.message());
  for (const auto& [api, form] :
       {std::pair{"from:", "From:"}, std::pair{"to:", "To:"}, std::pair{"body:", "Body:"},
        std::pair{"num_media:", "NumMedia:"}}) {
    if (msg.rfind(api, 0) == 0) return absl::StrCat(form, msg.substr(std::string_view(api).size()));
  }
  return msg;
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

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TwilioWebhook::TwilioWebhook(std::shared_ptr<const config::TenantDirectory> tenants,
                             kafka::Producer& producer, IngestMetrics& ingest_metrics,
                             WebhookMetrics& metrics, TwilioWebhookOptions options)
    : tenants_(std::move(tenants)),
      producer_(producer),
      ingest_metrics_(ingest_metrics),
      metrics_(metrics),
      options_(std::move(options)) {}

void TwilioWebhook::CountInbound(std::string_view outcome, std::string_view reason) const {
  ingest_metrics_.received
      .Add({{"source", "webhook"},
            {"outcome", std::string(outcome)},
            {"reason", std::string(reason)}})
      .Increment();
}

void TwilioWebhook::CountReceipt(std::string_view outcome, std::string_view reason) const {
  metrics_.receipts.Add({{"outcome", std::string(outcome)}, {"reason", std::string(reason)}})
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
    CountInbound("rejected", rejected->reason);
    return std::move(rejected->response);
  }
  const Authenticated& authenticated = std::get<Authenticated>(auth);
  const config::Tenant* tenant = authenticated.tenant;
  const FormParams& params = authenticated.params;
  auto invalid = [&](const absl::Status& st) {
    const std::string msg = FormFieldMessage(st);
    CountInbound("rejected", ReasonOf(msg));
    log::Info("webhook inbound rejected", {{"tenant", tenant->id}, {"reason", ReasonOf(msg)}});
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
  std::vector<std::string> media_urls;
  for (int i = 0; i < *num_media; ++i) {
    const std::string name = absl::StrCat("MediaUrl", i);
    auto url = Required(params, name);
    if (!url.ok()) {
      return invalid(absl::InvalidArgumentError(
          absl::StrCat(name, ": required when NumMedia is ", *num_media)));
    }
    media_urls.emplace_back(*url);
  }

  auto valid = ValidateInbound({*from, *to, *body, *num_media}, options_.limits);
  if (!valid.ok()) return invalid(valid.status());
  const auto owner = tenants_->FindNumber(valid->to);
  if (!owner.has_value() || owner->tenant->id != tenant->id) {
    CountInbound("rejected", "unknown_destination");
    log::Info(
        "webhook inbound rejected",
        {{"tenant", tenant->id}, {"reason", "unknown_destination"}, {"to", log::Phone(valid->to)}});
    return Text(400, absl::StrCat("To: ", valid->to, " is not a number of tenant ", tenant->id));
  }

  bool claimed = false;
  if (options_.first_seen) {
    auto first = options_.first_seen(tenant->id, *sid);
    if (!first.ok()) {
      CountInbound("failed", "dedup_unavailable");
      log::Warn(
          "webhook dedup check failed",
          {{"tenant", tenant->id}, {"provider_message_id", *sid}, {"status", first.status()}});
      return Unavailable("message");
    }
    if (!*first) {
      CountInbound("duplicate", "");
      log::Info("webhook inbound duplicate",
                {{"tenant", tenant->id}, {"provider_message_id", *sid}});
      WebhookResponse ok;
      ok.content_type = "text/xml";
      ok.body = std::string(kEmptyTwiml);
      return ok;
    }
    claimed = true;
  }

  v1::InboundMessage msg =
      NewInbound(*valid, *owner->tenant, *owner->number, v1::INBOUND_SOURCE_WEBHOOK);
  msg.set_body(std::string(*body));
  msg.set_provider("twilio");
  msg.set_provider_message_id(std::string(*sid));
  msg.set_num_media(*num_media);
  for (auto& url : media_urls) msg.add_media_urls(std::move(url));

  const auto start = std::chrono::steady_clock::now();
  auto delivered = producer_.SendSync(MakeInboundRecord(msg));
  ingest_metrics_.publish_latency.Add({{"topic", "inbound"}}, metrics::LatencyBuckets())
      .Observe(Since(start));
  if (!delivered.ok()) {
    ingest_metrics_.produce_errors.Add({{"topic", "inbound"}}).Increment();
    CountInbound("failed", "kafka_unavailable");
    // The provider retries on 503; release the claim so that retry is stored.
    if (claimed && options_.forget_seen) options_.forget_seen(tenant->id, *sid);
    log::Warn("webhook inbound not stored", {{"tenant", tenant->id},
                                             {"message_id", msg.message_id()},
                                             {"provider_message_id", *sid},
                                             {"status", delivered.status()}});
    return Unavailable("message");
  }
  CountInbound("accepted", "");
  log::Info("inbound accepted", {{"tenant", tenant->id},
                                 {"message_id", msg.message_id()},
                                 {"provider_message_id", *sid},
                                 {"source", "webhook"},
                                 {"from", log::Phone(msg.from())},
                                 {"segments", msg.segments()},
                                 {"body_chars", valid->segments.characters}});
  WebhookResponse ok;
  ok.content_type = "text/xml";
  ok.body = std::string(kEmptyTwiml);
  return ok;
}

WebhookResponse TwilioWebhook::HandleStatus(const WebhookRequest& req) const {
  auto auth = Authenticate(req, "status");
  if (auto* rejected = std::get_if<Rejected>(&auth)) {
    CountReceipt("rejected", rejected->reason);
    return std::move(rejected->response);
  }
  const Authenticated& authenticated = std::get<Authenticated>(auth);
  const config::Tenant* tenant = authenticated.tenant;
  const FormParams& params = authenticated.params;
  auto invalid = [&](const absl::Status& st) {
    const std::string msg(st.message());
    CountReceipt("rejected", ReasonOf(msg));
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
  event.set_event_id(sms::NewMessageId());
  event.set_tenant_id(tenant->id);
  event.set_status(mapped->status);
  event.set_reason_code(mapped->reason);
  if (error_code->has_value()) event.set_carrier_error_code(std::string(**error_code));
  event.set_provider("twilio");
  event.set_provider_message_id(std::string(*sid));
  event.set_provider_status(std::string(*raw_status));
  event.set_reporter("ingest");
  *event.mutable_event_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  // Numbers help reconcile an unmatched receipt; one that does not parse is
  // left out rather than failing the receipt.
  event.set_to(OptionalNumber(params, "To"));
  event.set_from(OptionalNumber(params, "From"));
  std::optional<std::string> message_id;
  if (options_.resolve_message_id) message_id = options_.resolve_message_id(*sid);
  if (message_id.has_value()) {
    event.set_message_id(*message_id);
  } else {
    event.set_unmatched(true);
  }

  const auto start = std::chrono::steady_clock::now();
  auto delivered = producer_.SendSync(MakeDeliveryRecord(event));
  ingest_metrics_.publish_latency.Add({{"topic", "delivery"}}, metrics::LatencyBuckets())
      .Observe(Since(start));
  if (!delivered.ok()) {
    ingest_metrics_.produce_errors.Add({{"topic", "delivery"}}).Increment();
    CountReceipt("failed", "kafka_unavailable");
    log::Warn(
        "webhook receipt not stored",
        {{"tenant", tenant->id}, {"provider_message_id", *sid}, {"status", delivered.status()}});
    return Unavailable("receipt");
  }
  CountReceipt(event.unmatched() ? "unmatched" : "matched", "");
  log::Info("receipt accepted", {{"tenant", tenant->id},
                                 {"message_id", event.message_id()},
                                 {"provider_message_id", *sid},
                                 {"provider_status", event.provider_status()},
                                 {"unmatched", event.unmatched()}});
  return Text(200, "");
}

}  // namespace smsflow::ingest::webhook
