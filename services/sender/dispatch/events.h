#pragma once
// DeliveryEvents the dispatcher publishes on sms.delivery.v1: pure builders
// from the approved message, plus the Kafka record (keyed by message id,
// typed header) and the receipt-state mapping.

#include <string>

#include "absl/time/time.h"
#include "lib/kafka/record.h"
#include "smsflow/v1/delivery.pb.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::sender {

inline constexpr char kReporter[] = "sender-dispatcher";

// An event about `message` with a fresh event id, event_time = now, the
// request's identifying fields copied (tenant, batch, tag, to, scope,
// category, segments) and from = `from` (the chosen sending number, or the
// requested one).
v1::DeliveryEvent MessageEvent(const v1::ApprovedMessage& message, const std::string& from,
                               v1::MessageStatus status, absl::Time now);

// Keyed by message id, or "<provider>|<provider_message_id>" when unmatched.
kafka::Record EventRecord(const v1::DeliveryEvent& event);

struct ReceiptStatus {
  v1::MessageStatus status = v1::MESSAGE_STATUS_UNSPECIFIED;
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
};
// As documented on v1::ReceiptState (same table as ingest's receipts).
ReceiptStatus MapReceiptState(v1::ReceiptState state);

bool IsFinalStatus(v1::MessageStatus status);

}  // namespace smsflow::sender
