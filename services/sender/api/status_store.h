#pragma once
// StatusStore: the Redis view of every outbound message's current status and
// of each batch's progress, folded from DeliveryEvents (Kafka holds the
// record of truth; this view can be rebuilt by replaying sms.delivery.v1).
//
// Keys (prefix default "smsflow:sender:"):
//   m:<id>       hash: status, rank, final, updated, reason, desc, cerr,
//                provider, pid:<part>, facts (tenant, batch, to, from, ...)
//   m:<id>:ev    set of applied event ids (dedup)
//   m:<id>:h     list of the message's events, oldest first (capped)
//   b:<id>       hash: tenant, open, canceled; b:<id>:m set of message ids
//   b:<id>:c     hash: status number -> messages currently in it
//   b:<id>:s     stream of message-level changes: e = DeliveryEvent bytes
//                with the folded message status, c = counts after it
// One Lua script applies an event atomically: deduplicated by event id,
// monotonic (ShouldReplace), multipart DELIVERED only once every part is,
// batch counts moved only on a real transition. Every key expires after
// `ttl`. Single Redis instance (the script derives batch keys itself).
//
// Thread-safe; borrows the pool, which must outlive it. Batch calls are one
// round trip.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/client.h"
#include "smsflow/v1/delivery.pb.h"
#include "smsflow/v1/outbound.pb.h"
#include "smsflow/v1/sender_service.pb.h"

namespace smsflow::sender {

struct StatusStoreOptions {
  std::string prefix = "smsflow:sender:";
  std::chrono::milliseconds ttl = std::chrono::hours(24 * 7);
  int history_max = 50;        // events kept per message
  int stream_maxlen = 200000;  // changes kept per batch stream (approximate)
};

// One event to fold, with facts about the message that events do not carry
// (accept/send/expire time, requested pool, encoding) when the API knows them.
struct StatusUpdate {
  v1::DeliveryEvent event;
  std::vector<std::pair<std::string, std::string>> facts;
};

struct ApplyResult {
  enum class Kind { kApplied, kStale, kDuplicate };
  Kind kind = Kind::kApplied;
  v1::MessageStatus status = v1::MESSAGE_STATUS_UNSPECIFIED;  // message status after it
  v1::MessageStatus previous = v1::MESSAGE_STATUS_UNSPECIFIED;
  bool changed() const { return kind == Kind::kApplied && status != previous; }
};

struct BatchSnapshot {
  std::string tenant_id;
  int64_t total = 0;
  bool open = false;
  bool canceled = false;
  std::map<int, int64_t> counts;  // status number -> count
  std::string last_change_id;     // stream id of the latest change; "0-0" when none
};

struct BatchChange {
  std::string id;           // stream id
  v1::DeliveryEvent event;  // message-level (part receipts folded)
  std::map<int, int64_t> counts;
};

class StatusStore {
 public:
  StatusStore(redis::Pool& pool, StatusStoreOptions options = {});

  // Facts the API records with its ACCEPTED/SCHEDULED event.
  static std::vector<std::pair<std::string, std::string>> FactsOf(
      const v1::OutboundRequest& request, const std::string& sender_pool);

  // Results in input order. UNAVAILABLE when Redis is away (then any prefix
  // may have been applied; re-applying is safe, events are deduplicated).
  absl::StatusOr<std::vector<ApplyResult>> ApplyAll(const std::vector<StatusUpdate>& updates);

  // nullopt when unknown (or expired).
  absl::StatusOr<std::optional<v1::OutboundMessage>> Get(const std::string& message_id,
                                                         bool include_history);

  // Adds members to a batch (idempotent) and sets its tenant; `open` keeps it
  // from counting as done while a client stream still adds recipients.
  absl::Status RecordBatch(const std::string& batch_id, const std::string& tenant_id,
                           const std::vector<std::string>& message_ids, bool open);
  absl::Status CloseBatch(const std::string& batch_id);
  // Removes what RecordBatch added for messages that were never published.
  absl::Status ForgetMembers(const std::string& batch_id, const std::vector<std::string>& ids);
  // Consistent snapshot of counts, total and the latest change; nullopt when
  // the batch is unknown.
  absl::StatusOr<std::optional<BatchSnapshot>> Snapshot(const std::string& batch_id);
  // True the first time a batch is marked canceled.
  absl::StatusOr<bool> MarkCanceled(const std::string& batch_id);

  // Waits up to `block` on `client` (a dedicated connection: it blocks) for
  // changes after *last_id; advances *last_id. Empty when none came.
  absl::StatusOr<std::vector<BatchChange>> ReadChanges(redis::Client& client,
                                                       const std::string& batch_id,
                                                       std::string* last_id,
                                                       std::chrono::milliseconds block, int count);

  // Options for a dedicated watch connection: the pool's, with a command
  // timeout that covers `block`.
  absl::StatusOr<redis::Options> WatchOptions(std::chrono::milliseconds block);

 private:
  std::string MessageKey(const std::string& id) const { return options_.prefix + "m:" + id; }
  std::string BatchKey(const std::string& id) const { return options_.prefix + "b:" + id; }

  redis::Pool& pool_;
  StatusStoreOptions options_;
};

}  // namespace smsflow::sender
