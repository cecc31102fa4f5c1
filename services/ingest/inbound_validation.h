#pragma once
// Validation of an inbound message as a provider or client hands it to us:
// pure logic, no I/O. Each rejection names the field and the reason.

#include <string>

#include "absl/status/statusor.h"
#include "lib/sms/phone.h"
#include "lib/sms/segments.h"
#include "smsflow/v1/common.pb.h"

namespace smsflow::ingest {

struct InboundLimits {
  int max_body_chars = 1600;  // Unicode code points
};

struct InboundFields {
  std::string_view from;
  std::string_view to;
  std::string_view body;
  int num_media = 0;
  // `to` is already known to be a canonical, configured number (the caller
  // looked it up), so it need not be parsed again: parsing costs ~30 us.
  bool to_is_canonical = false;
};

struct ValidInbound {
  std::string from;  // E.164
  std::string to;    // E.164 or short code digits
  sms::SegmentCount segments;
};

// What is wrong with one field, as a stable reason code and a sentence.
struct FieldError {
  std::string field;
  v1::ReasonCode reason = v1::REASON_CODE_INVALID_FIELD;
  std::string description;
  // INVALID_ARGUMENT "<field>: <description>".
  absl::Status ToStatus() const;
  v1::Rejection ToRejection() const;
};

// INVALID_ARGUMENT "<field>: <reason>" on the first problem found; `error`
// (if given) receives the details.
absl::StatusOr<ValidInbound> ValidateInbound(const InboundFields& in, const InboundLimits& limits,
                                             FieldError* error = nullptr);

}  // namespace smsflow::ingest
