#pragma once
// DeferredStore: outbound requests the gate holds until a later time (a
// quiet-hours deferral, or a send_time in the future), in Redis so that any
// gate replica can release them and none is lost when one dies.
//
//   <prefix>due      sorted set: message id -> release time (unix ms)
//   <prefix>claimed  sorted set: message id -> lease deadline (unix ms)
//   <prefix>payload  hash: message id -> "<flags>|<serialized OutboundRequest>"
//   <prefix>meta:ready, <prefix>meta:restoring: the ReadyMarker (below)
//
// (the prefix carries a {hash tag} so all keys share a cluster slot.)
// Hold is idempotent by message id (a second hold moves the release time).
// ClaimDue atomically moves due entries into `claimed` under a lease and
// returns them; the releaser Acks them once its outputs are durable. A
// replica that dies holding claims loses them to the next ClaimDue after the
// lease ends, so every held message is decided at least once; duplicates of
// a message id are deduplicated downstream. Thread-safe; borrows the pool.
//
// Durability: Redis is not the record of what is held. The gate journals
// every hold and release on sms.outbound.deferred.v1 before it touches this
// store, and the DeferredGuardian restores the store from that journal when
// Redis loses it. Since lost entries look like "nothing due", ClaimDue claims
// nothing (UNAVAILABLE) while the ready marker is missing; HoldAll and Ack
// keep working (what they write is journaled already).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/redis/client.h"
#include "lib/store/ready_marker.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate {

struct HeldMessage {
  v1::OutboundRequest request;
  absl::Time release_time;
  bool quiet_hours = false;  // held for quiet hours (reported on approval)
};

// One journal record folded for a restore: a hold, or (no `held`) a release.
struct JournalEntry {
  std::string message_id;
  std::optional<HeldMessage> held;
};

inline constexpr char kDeferredPrefix[] = "smsflow:gate:{deferred}:";

class DeferredStore {
 public:
  explicit DeferredStore(redis::Pool& pool, std::string prefix = kDeferredPrefix);

  // One round trip for all. Releases an existing claim of the same id (the
  // releaser re-holding a message it claimed).
  absl::Status HoldAll(const std::vector<HeldMessage>& messages);
  // Up to `limit` entries due at `now` (stale claims first), leased until
  // `now + lease`. Entries whose payload cannot be parsed are dropped with
  // their ids in *malformed. UNAVAILABLE (marker().NotReady()) while the
  // store is not ready: then nothing is claimed.
  absl::StatusOr<std::vector<HeldMessage>> ClaimDue(absl::Time now, absl::Duration lease, int limit,
                                                    std::vector<std::string>* malformed);
  // Forgets claimed entries (their payload too, unless re-held since).
  absl::Status Ack(const std::vector<std::string>& message_ids);
  // Held plus claimed entries.
  absl::StatusOr<int64_t> Size();
  // Up to `limit` held (not claimed) entries, earliest release first,
  // without claiming them: for tests and tools.
  absl::StatusOr<std::vector<HeldMessage>> Peek(int limit);

  // A restore from the journal: holds and forgets entries in one script,
  // and only while `restore_token` holds the marker's claim (ABORTED, and
  // nothing written, otherwise).
  absl::Status RestoreAll(const std::vector<JournalEntry>& entries,
                          const std::string& restore_token);

  store::ReadyMarker& marker() { return marker_; }

 private:
  redis::Pool& pool_;
  std::string due_, claimed_, payload_;
  store::ReadyMarker marker_;
};

}  // namespace smsflow::consent::gate
