#include "services/sender/api/send_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/sms/message_id.h"
#include "lib/sms/phone.h"
#include "lib/sms/segments.h"

namespace smsflow::sender {
namespace {

absl::Status Fail(Problem* out, Problem p) {
  absl::Status st = p.ToStatus();
  if (out != nullptr) *out = std::move(p);
  return st;
}

std::string DurationText(std::chrono::milliseconds d) {
  return absl::FormatDuration(absl::FromChrono(d));
}

// Where a requested sender number lives among the tenant's numbers.
const config::Number* FindOwnNumber(const config::Tenant& tenant, const std::string& number) {
  for (const auto& n : tenant.numbers) {
    if (n.number == number) return &n;
  }
  return nullptr;
}

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

bool HasNul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

}  // namespace

absl::Status Problem::ToStatus() const {
  return absl::InvalidArgumentError(field.empty() ? description
                                                  : absl::StrCat(field, ": ", description));
}

v1::Rejection Problem::ToRejection() const {
  v1::Rejection r;
  r.set_reason_code(reason);
  r.set_field(field);
  r.set_description(description);
  return r;
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t micros = absl::ToUnixMicros(t);
  ts.set_seconds(micros / 1000000);
  ts.set_nanos(static_cast<int32_t>((micros % 1000000) * 1000));
  if (ts.nanos() < 0) {
    ts.set_seconds(ts.seconds() - 1);
    ts.set_nanos(ts.nanos() + 1000000000);
  }
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

absl::StatusOr<SendSettings> ValidateSettings(const std::string& tenant_id,
                                              const v1::BatchSettings& in,
                                              const config::TenantDirectory& tenants,
                                              const TemplateCatalog& templates,
                                              const SendLimits& limits, absl::Time now,
                                              const std::string& prefix, Problem* problem) {
  auto field = [&](const char* name) { return absl::StrCat(prefix, name); };
  SendSettings s;
  if (tenant_id.empty())
    return Fail(problem, {"tenant_id", v1::REASON_CODE_INVALID_FIELD, "required"});
  s.tenant = tenants.FindTenant(tenant_id);
  if (s.tenant == nullptr) {
    return Fail(problem, {"tenant_id", v1::REASON_CODE_INVALID_FIELD,
                          absl::StrCat("'", tenant_id, "' is not a configured tenant")});
  }

  // Sender: a number of the tenant, or a pool = one of the tenant's scopes.
  switch (in.sender_case()) {
    case v1::BatchSettings::kFrom: {
      std::string number;
      if (sms::IsShortCode(in.from())) {
        for (char c : in.from()) {
          if (c >= '0' && c <= '9') number.push_back(c);
        }
      } else {
        auto e164 = sms::NormalizeE164(in.from(), limits.default_region);
        if (!e164.ok()) {
          return Fail(problem, {field("from"), v1::REASON_CODE_INVALID_NUMBER,
                                std::string(e164.status().message())});
        }
        number = *e164;
      }
      const config::Number* own = FindOwnNumber(*s.tenant, number);
      if (own == nullptr) {
        return Fail(problem, {field("from"), v1::REASON_CODE_SENDER_NOT_ALLOWED,
                              absl::StrCat("not a number of tenant '", tenant_id, "'")});
      }
      s.from = number;
      s.sender_scope = own->scope;
      break;
    }
    case v1::BatchSettings::kSenderPool: {
      for (const auto& n : s.tenant->numbers) {
        if (n.scope == in.sender_pool()) s.pool_numbers.push_back(n.number);
      }
      if (in.sender_pool().empty() || s.pool_numbers.empty()) {
        return Fail(problem, {field("sender_pool"), v1::REASON_CODE_SENDER_NOT_ALLOWED,
                              absl::StrCat("'", in.sender_pool(),
                                           "' is not a sender pool of tenant '", tenant_id, "'")});
      }
      s.sender_pool = in.sender_pool();
      s.sender_scope = in.sender_pool();
      break;
    }
    default:
      return Fail(problem, {field("from"), v1::REASON_CODE_INVALID_FIELD,
                            "one of from or sender_pool is required"});
  }

  switch (in.content_case()) {
    case v1::BatchSettings::kBody:
      s.content_field = "body";
      s.body = in.body();
      break;
    case v1::BatchSettings::kTemplateText: {
      s.content_field = "template_text";
      auto t = Template::Parse(in.template_text());
      if (!t.ok()) {
        return Fail(problem, {field("template_text"), v1::REASON_CODE_INVALID_FIELD,
                              std::string(t.status().message())});
      }
      s.is_template = true;
      s.tmpl = *std::move(t);
      break;
    }
    case v1::BatchSettings::kTemplateId: {
      s.content_field = "template_id";
      const Template* t = templates.Find(tenant_id, in.template_id());
      if (t == nullptr) {
        return Fail(problem, {field("template_id"), v1::REASON_CODE_UNKNOWN_TEMPLATE,
                              absl::StrCat("no template '", in.template_id(), "' for tenant '",
                                           tenant_id, "'")});
      }
      s.is_template = true;
      s.tmpl = *t;
      break;
    }
    default:
      return Fail(problem, {field("body"), v1::REASON_CODE_EMPTY_BODY,
                            "one of body, template_text or template_id is required"});
  }
  s.variables = in.variables();

  s.category = in.category();
  if (s.category == v1::CATEGORY_UNSPECIFIED) {
    return Fail(problem, {field("category"), v1::REASON_CODE_INVALID_FIELD, "required"});
  }
  if (s.category == v1::CATEGORY_COMPLIANCE || !v1::Category_IsValid(s.category)) {
    return Fail(problem, {field("category"), v1::REASON_CODE_INVALID_FIELD,
                          absl::StrCat(v1::Category_Name(s.category), " is not allowed")});
  }

  s.accept_time = now;
  absl::Time start = now;
  if (in.has_send_time()) {
    const absl::Time t = FromProto(in.send_time());
    if (t < now - absl::FromChrono(limits.clock_skew)) {
      return Fail(problem, {field("send_time"), v1::REASON_CODE_INVALID_FIELD,
                            absl::StrCat("is in the past (more than ",
                                         DurationText(limits.clock_skew), " ago)")});
    }
    if (t > now + absl::FromChrono(limits.max_schedule_ahead)) {
      return Fail(problem, {field("send_time"), v1::REASON_CODE_INVALID_FIELD,
                            absl::StrCat("is more than ", DurationText(limits.max_schedule_ahead),
                                         " ahead")});
    }
    if (t > now) {
      s.send_time = t;
      start = t;
    }
  }
  absl::Duration validity = absl::FromChrono(
      s.category == v1::CATEGORY_OTP ? limits.otp_validity : limits.default_validity);
  if (in.has_validity()) {
    validity = absl::Seconds(in.validity().seconds()) + absl::Nanoseconds(in.validity().nanos());
    if (validity <= absl::ZeroDuration()) {
      return Fail(problem, {field("validity"), v1::REASON_CODE_INVALID_FIELD, "must be positive"});
    }
    if (validity > absl::FromChrono(limits.max_validity)) {
      return Fail(problem,
                  {field("validity"), v1::REASON_CODE_INVALID_FIELD,
                   absl::StrCat("is over the limit of ", DurationText(limits.max_validity))});
    }
  }
  s.expire_time = start + validity;

  if (static_cast<int>(in.idempotency_key().size()) > limits.max_key_bytes) {
    return Fail(problem, {field("idempotency_key"), v1::REASON_CODE_INVALID_FIELD,
                          absl::StrCat("longer than ", limits.max_key_bytes, " bytes")});
  }
  if (static_cast<int>(in.status_callback_tag().size()) > limits.max_tag_bytes) {
    return Fail(problem, {field("status_callback_tag"), v1::REASON_CODE_INVALID_FIELD,
                          absl::StrCat("longer than ", limits.max_tag_bytes, " bytes")});
  }
  s.idempotency_key = in.idempotency_key();
  s.status_callback_tag = in.status_callback_tag();
  s.subject = in.subject();
  s.smart_encoding = in.has_smart_encoding() ? in.smart_encoding() : limits.smart_encoding_default;
  return s;
}

const std::string& PickPoolNumber(const std::vector<std::string>& numbers, const std::string& to) {
  return numbers[Fnv1a(to) % numbers.size()];
}

absl::StatusOr<v1::OutboundRequest> PrepareRecipient(const SendSettings& s,
                                                     const v1::BatchRecipient& r,
                                                     const SendLimits& limits, Problem* problem) {
  auto to = sms::NormalizeE164(r.to(), limits.default_region);
  if (!to.ok()) {
    return Fail(problem,
                {"to", v1::REASON_CODE_INVALID_NUMBER, std::string(to.status().message())});
  }
  std::string body;
  if (s.is_template) {
    auto rendered = s.tmpl.Render([&](const std::string& name) -> const std::string* {
      if (auto it = r.variables().find(name); it != r.variables().end()) return &it->second;
      if (auto it = s.variables.find(name); it != s.variables.end()) return &it->second;
      return nullptr;
    });
    if (!rendered.ok()) {
      const std::string name(rendered.status().message());
      return Fail(problem, {"variables." + name, v1::REASON_CODE_TEMPLATE_VARIABLE_MISSING,
                            absl::StrCat("template variable '", name, "' has no value")});
    }
    body = *std::move(rendered);
  } else {
    body = s.body;
  }
  if (s.smart_encoding) body = sms::SmartEncode(body);
  if (!sms::IsValidUtf8(body) || HasNul(body)) {
    return Fail(problem, {s.content_field, v1::REASON_CODE_INVALID_TEXT,
                          "text is not valid UTF-8 or contains NUL"});
  }
  if (absl::StripAsciiWhitespace(body).empty()) {
    return Fail(problem, {s.content_field, v1::REASON_CODE_EMPTY_BODY, "empty after rendering"});
  }
  auto count = sms::CountSegments(body);
  if (!count.ok()) {
    return Fail(problem, {s.content_field, v1::REASON_CODE_INVALID_TEXT,
                          std::string(count.status().message())});
  }
  if (count->segments > limits.max_segments) {
    return Fail(problem, {s.content_field, v1::REASON_CODE_BODY_TOO_LONG,
                          absl::StrCat("the rendered text takes ", count->segments,
                                       " segments; the limit is ", limits.max_segments)});
  }
  if (!r.recipient_time_zone().empty()) {
    absl::TimeZone tz;
    if (!absl::LoadTimeZone(r.recipient_time_zone(), &tz)) {
      return Fail(problem, {"recipient_time_zone", v1::REASON_CODE_INVALID_FIELD,
                            absl::StrCat("'", r.recipient_time_zone().substr(0, 64),
                                         "' is not an IANA time zone")});
    }
  }
  if (static_cast<int>(r.status_callback_tag().size()) > limits.max_tag_bytes) {
    return Fail(problem, {"status_callback_tag", v1::REASON_CODE_INVALID_FIELD,
                          absl::StrCat("longer than ", limits.max_tag_bytes, " bytes")});
  }

  v1::OutboundRequest req;
  req.set_message_id(sms::NewMessageId());
  req.set_tenant_id(s.tenant->id);
  req.set_sender_scope(s.sender_scope);
  // A pool is resolved here, deterministically per recipient, so the
  // dispatcher always receives a concrete number (sticky sender).
  req.set_from(s.sender_pool.empty() ? s.from : PickPoolNumber(s.pool_numbers, *to));
  req.set_to(*to);
  req.set_body(std::move(body));
  req.set_encoding(count->encoding == sms::Encoding::kGsm7 ? v1::ENCODING_GSM7 : v1::ENCODING_UCS2);
  req.set_segments(count->segments);
  req.set_category(s.category);
  if (s.send_time.has_value()) *req.mutable_send_time() = ToProto(*s.send_time);
  *req.mutable_expire_time() = ToProto(s.expire_time);
  req.set_idempotency_key(s.idempotency_key);
  req.set_status_callback_tag(r.status_callback_tag().empty() ? s.status_callback_tag
                                                              : r.status_callback_tag());
  req.set_origin(v1::OUTBOUND_ORIGIN_SENDER_API);
  req.set_inbound_message_id(s.inbound_message_id);
  req.set_recipient_time_zone(r.recipient_time_zone());
  req.set_recipient_region(r.recipient_region());
  req.set_subject(s.subject);
  *req.mutable_request_time() = ToProto(s.accept_time);
  req.set_requested_by(s.requested_by);
  return req;
}

v1::MessageStatus InitialStatus(const v1::OutboundRequest& request) {
  return request.has_send_time() ? v1::MESSAGE_STATUS_SCHEDULED : v1::MESSAGE_STATUS_ACCEPTED;
}

v1::BatchSettings SettingsOf(const v1::SendMessageRequest& m) {
  v1::BatchSettings s;
  if (m.sender_case() == v1::SendMessageRequest::kFrom) s.set_from(m.from());
  if (m.sender_case() == v1::SendMessageRequest::kSenderPool) s.set_sender_pool(m.sender_pool());
  switch (m.content_case()) {
    case v1::SendMessageRequest::kBody:
      s.set_body(m.body());
      break;
    case v1::SendMessageRequest::kTemplateText:
      s.set_template_text(m.template_text());
      break;
    case v1::SendMessageRequest::kTemplateId:
      s.set_template_id(m.template_id());
      break;
    default:
      break;
  }
  *s.mutable_variables() = m.variables();
  s.set_category(m.category());
  if (m.has_send_time()) *s.mutable_send_time() = m.send_time();
  if (m.has_validity()) *s.mutable_validity() = m.validity();
  s.set_idempotency_key(m.idempotency_key());
  s.set_status_callback_tag(m.status_callback_tag());
  s.set_subject(m.subject());
  if (m.has_smart_encoding()) s.set_smart_encoding(m.smart_encoding());
  return s;
}

v1::BatchRecipient RecipientOf(const v1::SendMessageRequest& m) {
  v1::BatchRecipient r;
  r.set_to(m.to());
  r.set_recipient_time_zone(m.recipient_time_zone());
  r.set_recipient_region(m.recipient_region());
  return r;
}

}  // namespace smsflow::sender
