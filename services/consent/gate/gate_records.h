#pragma once
// The records the gate produces: an ApprovedMessage on its lane topic and
// DeliveryEvents on sms.delivery.v1. Pure functions.

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "lib/kafka/record.h"
#include "services/consent/gate/gate_decider.h"
#include "smsflow/v1/delivery.pb.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate {

// Value of DeliveryEvent.reporter for events from the gate.
inline constexpr std::string_view kReporter = "consent-gate";

// Lane topic (lib/kafka/topics.h) of an approved message.
std::string_view LaneTopic(v1::Lane lane);

// Keyed "tenant|to" so one conversation stays in order.
kafka::Record ApprovedRecord(const v1::OutboundRequest& request, const Decision& decision,
                             absl::Time now, bool quiet_hours_deferred);

// The journal of held requests (sms.outbound.deferred.v1, keyed by message
// id): a DeferredRequest when the gate holds a request...
kafka::Record DeferredRecord(const v1::OutboundRequest& request, absl::Time release_time,
                             bool quiet_hours);
// ...and a tombstone when it releases it: an empty value whose type header
// still names DeferredRequest, so tooling can tell what the key was.
kafka::Record ReleasedRecord(const std::string& message_id);

// Keyed by message id. `next_attempt` is set on the event unless infinite.
kafka::Record EventRecord(const v1::OutboundRequest& request, v1::MessageStatus status,
                          v1::ReasonCode reason, const std::string& description, absl::Time now,
                          absl::Time next_attempt = absl::InfiniteFuture());

}  // namespace smsflow::consent::gate
