#pragma once
// ConsentView: the current consent state in Redis, one value per (tenant,
// sender scope, recipient). Kafka's sms.consent.v1 is the record of truth;
// this view is derived from it and can be rebuilt by replaying the topic.
//
// Writes carry a version (the ledger offset of the last event folded in) and
// only replace an older version, so a replay or a late duplicate never moves
// the view backwards. Batch calls are one Redis round trip. Thread-safe;
// borrows the pool.
//
// Readiness: Redis can lose the view (FLUSHALL, failover to an empty
// replica, no persistence) while the ledger consumer keeps its committed
// offsets, and a lost state reads exactly like "never opted out". So the view
// counts as complete only while "<prefix>meta:ready" exists: a restore from
// the ledger sets it when done, a data loss removes it with everything else.
// GetAll reads the marker in the same MGET and answers UNAVAILABLE without
// it. A restore claims "<prefix>meta:rebuilding" with a unique token; its
// writes and the final MarkReady only happen while that token still holds
// the claim, so a flush during a restore (or a second restorer) makes it
// start again instead of marking a half-built view ready.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/consent_view/consent_state.h"
#include "lib/redis/client.h"
#include "lib/store/ready_marker.h"
#include "smsflow/v1/consent.pb.h"

namespace smsflow::consentview {

struct VersionedState {
  v1::ConsentState state;
  int64_t version = -1;  // ledger offset of the last event applied; -1 = none
};

inline constexpr char kLivePrefix[] = "smsflow:consent:";

// UNAVAILABLE "consent view: not ready (...)": what readers get while the
// view is lost or being restored.
absl::Status NotReadyError();

class ConsentView {
 public:
  // `prefix` lets a rebuild write a second view beside the live one.
  explicit ConsentView(redis::Pool& pool, std::string prefix = kLivePrefix);

  const std::string& prefix() const { return prefix_; }
  std::string RedisKey(const ConsentKey& key) const;
  // "meta:" keys never parse as state keys (those always contain '|').
  const std::string& ReadyKey() const { return marker_.ready_key(); }
  const std::string& RebuildingKey() const { return marker_.claim_key(); }

  // nullopt where the recipient has no state (never granted, never opted
  // out). UNAVAILABLE when Redis cannot answer or the view is not ready.
  absl::StatusOr<std::vector<std::optional<VersionedState>>> GetAll(
      const std::vector<ConsentKey>& keys);
  // What is stored, ready or not: only for the ledger appliers that build
  // the view. Anything that decides on consent uses GetAll.
  absl::StatusOr<std::vector<std::optional<VersionedState>>> GetAllStored(
      const std::vector<ConsentKey>& keys);
  // Writes each state unless the stored version is the same or newer.
  absl::Status PutAll(const std::vector<VersionedState>& states);
  // PutAll for a restore: writes nothing and answers ABORTED unless
  // `restore_token` still holds the rebuilding claim.
  absl::Status PutAllForRestore(const std::vector<VersionedState>& states,
                                const std::string& restore_token);
  // True where the recipient is opted out of that scope. UNAVAILABLE when
  // Redis cannot answer or the view is not ready: callers must then not send
  // (they cannot know).
  absl::StatusOr<std::vector<bool>> OptedOutAll(const std::vector<ConsentKey>& keys);

  absl::StatusOr<bool> IsReady();
  // Claims the restore for `token` unless another claim is held (false).
  // The claim expires after `lease` unless renewed, so a restorer that dies
  // does not block the next one for long.
  absl::StatusOr<bool> BeginRestore(const std::string& token, std::chrono::milliseconds lease);
  // Extends the claim; false when `token` no longer holds it.
  absl::StatusOr<bool> RenewRestore(const std::string& token, std::chrono::milliseconds lease);
  // Marks the view ready and drops the claim, in one script, if `token` still
  // holds it; ABORTED otherwise (the view was lost or taken over meanwhile:
  // restore again).
  absl::Status MarkReady(const std::string& token);
  // Drops the claim if `token` still holds it (a restore that failed), so the
  // next attempt need not wait for the lease to run out. What it wrote stays:
  // every state written under the claim is a complete fold at its version.
  absl::Status AbandonRestore(const std::string& token);

 private:
  absl::StatusOr<std::vector<std::optional<VersionedState>>> Read(
      const std::vector<ConsentKey>& keys, bool require_ready);
  absl::Status Write(const std::vector<VersionedState>& states, const std::string* restore_token);

  redis::Pool& pool_;
  std::string prefix_;
  store::ReadyMarker marker_;  // the readiness protocol (lib/store/ready_marker.h)
};

}  // namespace smsflow::consentview
