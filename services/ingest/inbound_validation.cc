#include "services/ingest/inbound_validation.h"

#include "absl/strings/str_cat.h"

namespace smsflow::ingest {

absl::StatusOr<ValidInbound> ValidateInbound(const InboundFields& in, const InboundLimits& limits) {
  ValidInbound out;
  if (in.from.empty()) return absl::InvalidArgumentError("from: required");
  auto from = sms::NormalizeE164(in.from);
  if (!from.ok())
    return absl::InvalidArgumentError(absl::StrCat("from: ", from.status().message()));
  out.from = *std::move(from);

  if (in.to.empty()) return absl::InvalidArgumentError("to: required");
  if (sms::IsShortCode(in.to)) {
    out.to = std::string(in.to);
  } else {
    auto to = sms::NormalizeE164(in.to);
    if (!to.ok()) return absl::InvalidArgumentError(absl::StrCat("to: ", to.status().message()));
    out.to = *std::move(to);
  }

  if (in.num_media < 0) return absl::InvalidArgumentError("num_media: must not be negative");
  if (in.body.empty() && in.num_media == 0) {
    return absl::InvalidArgumentError("body: empty (and no media attached)");
  }
  auto segments = sms::CountSegments(in.body);
  if (!segments.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("body: ", segments.status().message()));
  }
  if (segments->characters > limits.max_body_chars) {
    return absl::InvalidArgumentError(absl::StrCat("body: ", segments->characters,
                                                   " characters is over the limit of ",
                                                   limits.max_body_chars));
  }
  out.segments = *segments;
  return out;
}

}  // namespace smsflow::ingest
