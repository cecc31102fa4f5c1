#include "services/ingest/inbound_validation.h"

#include "absl/strings/str_cat.h"

namespace smsflow::ingest {

absl::Status FieldError::ToStatus() const {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", description));
}

v1::Rejection FieldError::ToRejection() const {
  v1::Rejection r;
  r.set_reason_code(reason);
  r.set_field(field);
  r.set_description(description);
  return r;
}

namespace {

absl::StatusOr<ValidInbound> Fail(FieldError e, FieldError* out) {
  absl::Status st = e.ToStatus();
  if (out != nullptr) *out = std::move(e);
  return st;
}

}  // namespace

absl::StatusOr<ValidInbound> ValidateInbound(const InboundFields& in, const InboundLimits& limits,
                                             FieldError* error) {
  ValidInbound out;
  if (in.from.empty()) return Fail({"from", v1::REASON_CODE_INVALID_NUMBER, "required"}, error);
  auto from = sms::NormalizeE164(in.from);
  if (!from.ok()) {
    return Fail({"from", v1::REASON_CODE_INVALID_NUMBER, std::string(from.status().message())},
                error);
  }
  out.from = *std::move(from);

  if (in.to.empty()) return Fail({"to", v1::REASON_CODE_INVALID_NUMBER, "required"}, error);
  if (in.to_is_canonical || sms::IsShortCode(in.to)) {
    out.to = std::string(in.to);
  } else {
    auto to = sms::NormalizeE164(in.to);
    if (!to.ok()) {
      return Fail({"to", v1::REASON_CODE_INVALID_NUMBER, std::string(to.status().message())},
                  error);
    }
    out.to = *std::move(to);
  }

  if (in.num_media < 0) {
    return Fail({"num_media", v1::REASON_CODE_INVALID_FIELD, "must not be negative"}, error);
  }
  if (in.body.empty() && in.num_media == 0) {
    return Fail({"body", v1::REASON_CODE_EMPTY_BODY, "empty (and no media attached)"}, error);
  }
  auto segments = sms::CountSegments(in.body);
  if (!segments.ok()) {
    return Fail({"body", v1::REASON_CODE_INVALID_TEXT, std::string(segments.status().message())},
                error);
  }
  if (segments->characters > limits.max_body_chars) {
    return Fail({"body", v1::REASON_CODE_BODY_TOO_LONG,
                 absl::StrCat(segments->characters, " characters is over the limit of ",
                              limits.max_body_chars)},
                error);
  }
  out.segments = *segments;
  return out;
}

}  // namespace smsflow::ingest
