#pragma once
// DeliveryEvents the dispatcher publishes on sms.delivery.v1: pure builders
// from the approved message, plus the Kafka record (keyed by message id,
// typed header) and the receipt-state mapping.

#include <string>

#include "absl/time/time.h"
#include "lib/delivery/delivery_events.h"
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

// Shared with every reporter of delivery events (lib/delivery).
inline kafka::Record EventRecord(const v1::DeliveryEvent& event) {
  return delivery::DeliveryEventRecord(event);
}
using ReceiptStatus = delivery::StatusMapping;
using delivery::IsFinalStatus;
using delivery::MapReceiptState;

}  // namespace smsflow::sender
