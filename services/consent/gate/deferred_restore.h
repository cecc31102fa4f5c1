#pragma once
// Restoring the DeferredStore from its journal, sms.outbound.deferred.v1.
//
// The gate journals every hold (a DeferredRequest) and every release (a
// tombstone) keyed by message id before it touches Redis, so after Redis
// lost its data the held set is the last record of each key, unless that
// record is a tombstone. RestoreDeferred claims the store's restore token,
// replays the topic from the beginning through a throwaway consumer group up
// to the end offsets it saw when it started, folds each batch to its last
// record per key and writes it (holds re-held with their release time and
// flag, tombstones forgotten) only while the claim holds, then marks the
// store ready. It does not rely on compaction (the dev cluster never
// compacts). Records written after it started are the live gate's: they
// reached Redis directly. Unreadable records go to the topic's DLQ and
// leave the key's earlier state as it was. An empty journal (a fresh
// install) is ready at once, without joining a group.
//
// Errors: ALREADY_EXISTS another restore holds the claim (it marks the store
// ready); ABORTED the claim was lost mid-way (flushed again): start again;
// CANCELLED a stop request; UNAVAILABLE / DEADLINE_EXCEEDED Kafka or Redis.
// Blocking; call from one thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <stop_token>
#include <string>

#include "absl/status/statusor.h"
#include "lib/kafka/producer.h"
#include "lib/kafka/record.h"
#include "lib/kafka/topics.h"
#include "services/consent/gate/deferred_store.h"

namespace smsflow::consent::gate {

struct DeferredRestoreOptions {
  std::string brokers;
  std::string topic = std::string(kafka::topics::kOutboundDeferred);
  // How long the restore claim lives without renewal (renewed every third).
  std::chrono::milliseconds claim_lease{std::chrono::seconds(30)};
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  std::map<std::string, std::string> consumer_extra;  // librdkafka properties
  std::stop_token stop;  // a stop request ends the replay early (CANCELLED)
};

struct DeferredRestoreReport {
  int64_t holds = 0;                       // hold records applied (a later tombstone may undo one)
  int64_t releases = 0;                    // tombstones applied
  int64_t unreadable = 0;                  // records sent to the DLQ
  std::map<int32_t, int64_t> end_offsets;  // per partition, at the start
};

// `dlq_producer` parks unreadable journal records on "<topic>.dlq".
absl::StatusOr<DeferredRestoreReport> RestoreDeferred(const DeferredRestoreOptions& options,
                                                      DeferredStore& store,
                                                      kafka::Producer& dlq_producer);

// One journal record as the restore reads it: a hold, or a release (no
// `held`) for a tombstone. INVALID_ARGUMENT "<field>: <reason>" otherwise.
absl::StatusOr<JournalEntry> ParseJournalRecord(const kafka::Message& message);

}  // namespace smsflow::consent::gate
