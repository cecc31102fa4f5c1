#pragma once
// DeferredStore: outbound requests the gate holds until a later time (a
// quiet-hours deferral, or a send_time in the future), in Redis so that any
// gate replica can release them and none is lost when one dies.
//
//   <prefix>due      sorted set: message id -> release time (unix ms)
//   <prefix>claimed  sorted set: message id -> lease deadline (unix ms)
//   <prefix>payload  hash: message id -> "<flags>|<serialized OutboundRequest>"
//
// (the prefix carries a {hash tag} so the three keys share a cluster slot.)
// Hold is idempotent by message id (a second hold moves the release time).
// ClaimDue atomically moves due entries into `claimed` under a lease and
// returns them; the releaser Acks them once its outputs are durable. A
// replica that dies holding claims loses them to the next ClaimDue after the
// lease ends, so every held message is decided at least once; duplicates of
// a message id are deduplicated downstream. Thread-safe; borrows the pool.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/redis/client.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate {

struct HeldMessage {
  v1::OutboundRequest request;
  absl::Time release_time;
  bool quiet_hours = false;  // held for quiet hours (reported on approval)
};

class DeferredStore {
 public:
  explicit DeferredStore(redis::Pool& pool, std::string prefix = "smsflow:gate:{deferred}:");

  // One round trip for all. Releases an existing claim of the same id (the
  // releaser re-holding a message it claimed).
  absl::Status HoldAll(const std::vector<HeldMessage>& messages);
  // Up to `limit` entries due at `now` (stale claims first), leased until
  // `now + lease`. Entries whose payload cannot be parsed are dropped with
  // their ids in *malformed.
  absl::StatusOr<std::vector<HeldMessage>> ClaimDue(absl::Time now, absl::Duration lease, int limit,
                                                    std::vector<std::string>* malformed);
  // Forgets claimed entries (their payload too, unless re-held since).
  absl::Status Ack(const std::vector<std::string>& message_ids);
  // Held plus claimed entries.
  absl::StatusOr<int64_t> Size();

 private:
  redis::Pool& pool_;
  std::string due_, claimed_, payload_;
};

}  // namespace smsflow::consent::gate
