#include "services/sender/api/status_tracker.h"

#include "absl/strings/str_cat.h"
#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "services/sender/api/status_rules.h"

namespace smsflow::sender {

StatusTracker::StatusTracker(StatusStore& store, SenderApiMetrics& metrics)
    : store_(store), metrics_(metrics) {}

kafka::ConsumerOptions StatusTracker::Options(const std::string& brokers) {
  kafka::ConsumerOptions o;
  o.brokers = brokers;
  o.group_id = kStatusGroup;
  o.topics = {std::string(kafka::topics::kDelivery)};
  o.client_id = "smsflow-sender-status";
  return o;
}

kafka::BatchHandler StatusTracker::Handler() {
  return kafka::ProtoBatchHandler<v1::DeliveryEvent>(
      [this](const kafka::ProtoBatch<v1::DeliveryEvent>& batch) { return Handle(batch); });
}

std::vector<kafka::Disposition> StatusTracker::Handle(
    const kafka::ProtoBatch<v1::DeliveryEvent>& batch) {
  std::vector<kafka::Disposition> out(batch.size());
  std::vector<StatusUpdate> updates;
  std::vector<size_t> where;
  for (size_t i = 0; i < batch.size(); ++i) {
    const auto& [message, event] = batch[i];
    // Unmatched receipts belong to reconciliation, and an event without a
    // status says nothing about a message: both stay on the topic, untracked.
    if (event.unmatched() || event.message_id().empty() || StatusRank(event.status()) == 0) {
      metrics_.status_events.Add({{"outcome", "skipped"}}).Increment();
      continue;
    }
    StatusUpdate& u = updates.emplace_back();
    u.event = event;
    if (u.event.event_id().empty()) {
      // The record's position is as stable as an id across redeliveries.
      u.event.set_event_id(
          absl::StrCat(message->topic, "/", message->partition, "/", message->offset));
    }
    where.push_back(i);
  }
  if (updates.empty()) return out;
  auto results = store_.ApplyAll(updates);
  if (!results.ok()) {
    metrics_.redis_errors.Add({{"operation", "status_apply"}}).Increment();
    log::Warn("status view unavailable; retrying delivery events",
              {{"count", updates.size()}, {"status", results.status()}});
    for (size_t i : where) out[i] = {kafka::Outcome::kRetry, "status store unavailable"};
    return out;
  }
  for (const ApplyResult& r : *results) {
    const char* outcome = r.kind == ApplyResult::Kind::kApplied     ? "applied"
                          : r.kind == ApplyResult::Kind::kDuplicate ? "duplicate"
                                                                    : "stale";
    metrics_.status_events.Add({{"outcome", outcome}}).Increment();
    if (r.changed()) metrics_.transitions.Add({{"status", StatusLabel(r.status)}}).Increment();
  }
  return out;
}

}  // namespace smsflow::sender
