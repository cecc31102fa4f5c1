#pragma once
// Validation of an inbound message as a provider or client hands it to us:
// pure logic, no I/O. Each rejection names the field and the reason.

#include <string>

#include "absl/status/statusor.h"
#include "lib/sms/phone.h"
#include "lib/sms/segments.h"

namespace smsflow::ingest {

struct InboundLimits {
  int max_body_chars = 1600;  // Unicode code points
};

struct InboundFields {
  std::string_view from;
  std::string_view to;
  std::string_view body;
  int num_media = 0;
};

struct ValidInbound {
  std::string from;  // E.164
  std::string to;    // E.164 or short code digits
  sms::SegmentCount segments;
};

// INVALID_ARGUMENT "<field>: <reason>" on the first problem found.
absl::StatusOr<ValidInbound> ValidateInbound(const InboundFields& in, const InboundLimits& limits);

}  // namespace smsflow::ingest
