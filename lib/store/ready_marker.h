#pragma once
// ReadyMarker: says whether a Redis structure that Kafka can restore is
// complete, and arbitrates who restores it.
//
// Redis can lose its data (FLUSHALL, failover to an empty replica, no
// persistence) and a lost structure often reads like a legitimately empty
// one. So the structure counts as complete only while `ready_key` exists: a
// restore sets it when done, a data loss removes it with everything else. A
// restore first claims `claim_key` with a unique token (expiring unless
// renewed, so a dead restorer does not block the next for long); its writes
// check the token in the same script (see ClaimCheck), and MarkReady sets the
// marker only while the token still holds the claim, so a flush mid-restore
// makes it start again instead of marking a half-built structure ready.
// Both keys must share the structure's {hash tag} for those scripts.
//
// Used by lib/consent_view (the consent view) and the consent gate's
// DeferredStore (held requests).
// Thread-safe; borrows the pool.

#include <chrono>
#include <string>

#include "absl/status/statusor.h"
#include "lib/redis/client.h"

namespace smsflow::store {

class ReadyMarker {
 public:
  // `what` names the structure in errors ("deferred store").
  ReadyMarker(redis::Pool& pool, std::string ready_key, std::string claim_key, std::string what);

  const std::string& ready_key() const { return ready_key_; }
  const std::string& claim_key() const { return claim_key_; }

  absl::StatusOr<bool> IsReady();
  // Claims the restore for `token` unless another claim is held (false).
  absl::StatusOr<bool> BeginRestore(const std::string& token, std::chrono::milliseconds lease);
  // Extends the claim; false when `token` no longer holds it.
  absl::StatusOr<bool> RenewRestore(const std::string& token, std::chrono::milliseconds lease);
  // Sets the marker and drops the claim in one script if `token` still holds
  // the claim; ABORTED (ClaimLost) otherwise.
  absl::Status MarkReady(const std::string& token);
  // Drops the claim if `token` holds it (a failed restore), so the next
  // attempt need not wait for the lease to run out.
  absl::Status AbandonRestore(const std::string& token);

  // ABORTED: the claim was lost mid-way (flushed, or taken over); restore again.
  absl::Status ClaimLost() const;
  // UNAVAILABLE "<what>: not ready (...)": what readers get meanwhile.
  absl::Status NotReady() const;

 private:
  absl::StatusOr<bool> RunScript(const redis::Script& script, const redis::Args& keys,
                                 const redis::Args& args);

  redis::Pool& pool_;
  std::string ready_key_, claim_key_, what_;
};

}  // namespace smsflow::store
