#pragma once
// GatePipeline: the one decision path of the consent gate, shared by the
// Kafka consumer (new requests) and the releaser (held requests coming due).
//
// Per batch, whatever its size: one Redis round trip to claim message ids
// (a message id is decided once), one to read consent (ConsentView::GetAll),
// then only when needed one for compliance-reply claims (one reply per
// consent event), one for frequency caps, one Kafka SendAll of every output,
// one to hold deferred messages and one to complete the claims. A message is
// done only once all its records are acknowledged; when Redis or Kafka fails
// it is retried (claims and cap slots given back), never approved blind.
//
// Outputs per message: approved -> ApprovedMessage on the lane topic + QUEUED
// event; rejected -> REJECTED event with reason; deferred -> SCHEDULED event
// + DeferredRequest on the journal (sms.outbound.deferred.v1), then held in
// the DeferredStore; canceled (releaser only) -> CANCELED event; a repeat of
// a decided message id -> nothing. The releaser then tombstones on the
// journal what was released for good (JournalReleases), once Process has
// seen its outputs acknowledged.
//
// Thread-safe (no mutable state of its own); borrows everything given.

#include <string>
#include <vector>

#include "lib/consent_view/consent_view.h"
#include "lib/kafka/producer.h"
#include "lib/store/cancellations.h"
#include "lib/store/idempotency.h"
#include "services/consent/gate/deferred_store.h"
#include "services/consent/gate/frequency_caps.h"
#include "services/consent/gate/gate_clock.h"
#include "services/consent/gate/gate_decider.h"
#include "services/consent/gate/gate_metrics.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate {

struct GateItem {
  v1::OutboundRequest request;
  bool from_hold = false;             // released by the releaser (no message-id claim)
  bool held_for_quiet_hours = false;  // reported as quiet_hours_deferred on approval
};

enum class ItemOutcome {
  kDone,     // decided and every output acknowledged (or a repeat: nothing to do)
  kRetry,    // Redis or Kafka failed: try again later, nothing is approved
  kInvalid,  // cannot be decided or reported (no message id or tenant): dead-letter
};

struct ItemResult {
  ItemOutcome outcome = ItemOutcome::kDone;
  std::string reason;  // for kRetry logs and kInvalid DLQ headers
  bool held = false;   // kDone by deferring (again): journaled and held
};

struct GateStores {
  consentview::ConsentView* consent;
  store::IdempotencyStore* decided;             // keyed by message id
  store::IdempotencyStore* compliance_replies;  // keyed by "tenant|consent event id"
  CapLedger* caps;
  DeferredStore* deferred;
  store::CancellationStore* cancellations;
};

class GatePipeline {
 public:
  GatePipeline(const GateDecider& decider, GateStores stores, kafka::Producer& producer,
               const Clock& clock, GateMetrics& metrics);

  std::vector<ItemResult> Process(const std::vector<GateItem>& items);

  // Tombstones on the journal for held messages that were decided for good,
  // in one Kafka batch. Per id, OK once the broker acknowledged it.
  std::vector<absl::Status> JournalReleases(const std::vector<std::string>& message_ids);

 private:
  const GateDecider& decider_;
  GateStores stores_;
  kafka::Producer& producer_;
  const Clock& clock_;
  GateMetrics& metrics_;
};

}  // namespace smsflow::consent::gate
