#pragma once
// Delivery events (sms.delivery.v1): the rules every reporter and reader
// shares, in one place. Pure functions; thread-safe.

#include "lib/kafka/record.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::delivery {

struct StatusMapping {
  v1::MessageStatus status = v1::MESSAGE_STATUS_UNSPECIFIED;
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
};

// SMPP receipt state -> message status and reason, as documented on
// v1::ReceiptState. UNSPECIFIED for a state that is not a receipt.
StatusMapping MapReceiptState(v1::ReceiptState state);

// DELIVERED, UNDELIVERED, FAILED, CANCELED, EXPIRED, REJECTED: never replaced.
bool IsFinalStatus(v1::MessageStatus status);

// The record on sms.delivery.v1: keyed by message id so all events of one
// message stay in order on one partition; an unmatched receipt (no message
// id yet) by "<provider>|<provider_message_id>" so its repeats stay together.
kafka::Record DeliveryEventRecord(const v1::DeliveryEvent& event);

}  // namespace smsflow::delivery
