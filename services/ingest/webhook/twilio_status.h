#pragma once
// Twilio status callbacks as smsflow delivery events: the status mapping and
// the sms.delivery.v1 record. Pure functions, thread-safe.

#include <string_view>

#include "absl/status/statusor.h"
#include "lib/kafka/record.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::ingest::webhook {

struct MappedStatus {
  v1::MessageStatus status = v1::MESSAGE_STATUS_UNSPECIFIED;
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
};

// Twilio MessageStatus (case-sensitive, as Twilio sends it: "queued",
// "delivered", ...) to smsflow's status. "read" (WhatsApp/RCS) counts as
// delivered; "partially_delivered" as undelivered. INVALID_ARGUMENT
// "MessageStatus: ..." for inbound-only statuses (receiving, received) and
// values Twilio does not document, so a new status is noticed (400 plus a
// warning) instead of being recorded as something it is not.
absl::StatusOr<MappedStatus> MapTwilioStatus(std::string_view message_status);

// The record for sms.delivery.v1: keyed by message_id, or
// "<provider>|<provider_message_id>" for an unmatched receipt (delivery.proto),
// with the type header.
kafka::Record MakeDeliveryRecord(const v1::DeliveryEvent& event);

}  // namespace smsflow::ingest::webhook
