#include "services/ingest/webhook/twilio_status.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"

namespace smsflow::ingest::webhook {

absl::StatusOr<StatusMapping> MapTwilioStatus(std::string_view s) {
  using P = std::pair<std::string_view, StatusMapping>;
  static constexpr std::array kStatuses = {
      P{"accepted", {v1::MESSAGE_STATUS_ACCEPTED, v1::REASON_CODE_UNSPECIFIED}},
      P{"scheduled", {v1::MESSAGE_STATUS_SCHEDULED, v1::REASON_CODE_UNSPECIFIED}},
      P{"queued", {v1::MESSAGE_STATUS_QUEUED, v1::REASON_CODE_UNSPECIFIED}},
      P{"sending", {v1::MESSAGE_STATUS_SENDING, v1::REASON_CODE_UNSPECIFIED}},
      P{"sent", {v1::MESSAGE_STATUS_SENT, v1::REASON_CODE_UNSPECIFIED}},
      P{"delivered", {v1::MESSAGE_STATUS_DELIVERED, v1::REASON_CODE_UNSPECIFIED}},
      P{"read", {v1::MESSAGE_STATUS_DELIVERED, v1::REASON_CODE_UNSPECIFIED}},
      P{"undelivered", {v1::MESSAGE_STATUS_UNDELIVERED, v1::REASON_CODE_CARRIER_UNDELIVERABLE}},
      P{"partially_delivered",
        {v1::MESSAGE_STATUS_UNDELIVERED, v1::REASON_CODE_CARRIER_UNDELIVERABLE}},
      P{"failed", {v1::MESSAGE_STATUS_FAILED, v1::REASON_CODE_CARRIER_PERMANENT_ERROR}},
      P{"canceled", {v1::MESSAGE_STATUS_CANCELED, v1::REASON_CODE_CANCELED_BY_REQUEST}},
  };
  for (const auto& [name, mapped] : kStatuses) {
    if (name == s) return mapped;
  }
  if (s.empty()) return absl::InvalidArgumentError("MessageStatus: required");
  if (s == "receiving" || s == "received") {
    return absl::InvalidArgumentError(
        absl::StrCat("MessageStatus: '", std::string(s),
                     "' is an inbound status; point the SMS webhook at /sms"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("MessageStatus: unknown value '", std::string(s.substr(0, 40)), "'"));
}

}  // namespace smsflow::ingest::webhook
