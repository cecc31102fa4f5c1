#pragma once
// IdempotencyStore: "do this once" across replicas and retries, in Redis.
//
// A caller claims a key with the value it would produce (a new message id).
// The claim is pending until the caller completes it (the work is durable,
// e.g. Kafka acknowledged) or releases it (the work failed, so a retry may
// try again). A pending claim older than `takeover_after` is handed to the
// next claimant together with the ORIGINAL value: if the first owner crashed
// after its work became durable but before completing, the retry repeats the
// work under the same id, which downstream consumers deduplicate. So no work
// is lost and none is visible twice.
//
// Every batch call is one Redis round trip (pipelined EVALSHA). Thread-safe;
// borrows the pool, which must outlive it.

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/client.h"

namespace smsflow::store {

struct Claim {
  std::string key;
  std::string value;  // what the caller will produce if it owns the key
};

struct ClaimResult {
  enum class Kind {
    kNew,        // the caller owns the key; value = its proposed value
    kDuplicate,  // done before; value = the original value
    kInFlight,   // another owner is working on it now; value = its value
    kTakenOver,  // an earlier owner went silent; the caller owns the key with
                 // the ORIGINAL value, which it must reuse
  };
  Kind kind = Kind::kNew;
  std::string value;
  bool owned() const { return kind == Kind::kNew || kind == Kind::kTakenOver; }
};

struct KeyValue {
  std::string key;
  std::string value;
};

class IdempotencyStore {
 public:
  // Keys are stored as "<prefix><key>" and expire `ttl` after their claim.
  IdempotencyStore(redis::Pool& pool, std::string prefix, std::chrono::milliseconds ttl,
                   std::chrono::milliseconds takeover_after);

  // Results in input order. UNAVAILABLE if Redis cannot be reached (then no
  // claim is known to have been made).
  absl::StatusOr<std::vector<ClaimResult>> ClaimAll(const std::vector<Claim>& claims);
  // Marks owned claims done (only where the stored value still matches).
  absl::Status CompleteAll(const std::vector<KeyValue>& done);
  // Drops pending claims whose work failed, so a retry may start at once
  // (only where the stored value still matches and is pending).
  absl::Status ReleaseAll(const std::vector<KeyValue>& failed);

 private:
  redis::Pool& pool_;
  std::string prefix_;
  std::chrono::milliseconds ttl_;
  std::chrono::milliseconds takeover_after_;
};

}  // namespace smsflow::store
