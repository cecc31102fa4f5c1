#include "lib/store/ready_marker.h"

#include "absl/strings/str_cat.h"

namespace smsflow::store {
namespace {

// KEYS: claim. ARGV: token, lease_ms. 1 when the token held the claim.
const redis::Script& RenewScript() {
  static const redis::Script kScript(R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
)lua");
  return kScript;
}

// KEYS: claim, ready. ARGV: token. The check and the marker in one step, so
// a flush between them cannot slip through.
const redis::Script& MarkReadyScript() {
  static const redis::Script kScript(R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1
)lua");
  return kScript;
}

// KEYS: claim. ARGV: token.
const redis::Script& AbandonScript() {
  static const redis::Script kScript(R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
)lua");
  return kScript;
}

}  // namespace

ReadyMarker::ReadyMarker(redis::Pool& pool, std::string ready_key, std::string claim_key,
                         std::string what)
    : pool_(pool),
      ready_key_(std::move(ready_key)),
      claim_key_(std::move(claim_key)),
      what_(std::move(what)) {}

absl::Status ReadyMarker::ClaimLost() const {
  return absl::AbortedError(absl::StrCat(
      what_, ": restore claim lost (Redis was flushed again or another restore took over)"));
}

absl::Status ReadyMarker::NotReady() const {
  return absl::UnavailableError(
      absl::StrCat(what_, ": not ready (lost or being restored from Kafka)"));
}

absl::StatusOr<bool> ReadyMarker::IsReady() {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Command({"EXISTS", ready_key_});
  if (!reply.ok()) return reply.status();
  return reply->IsInteger() && reply->integer == 1;
}

absl::StatusOr<bool> ReadyMarker::BeginRestore(const std::string& token,
                                               std::chrono::milliseconds lease_time) {
  if (token.empty()) return absl::InvalidArgumentError("token: required");
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply =
      (*lease)->Command({"SET", claim_key_, token, "NX", "PX", std::to_string(lease_time.count())});
  if (!reply.ok()) return reply.status();
  return reply->IsOk();
}

absl::StatusOr<bool> ReadyMarker::RunScript(const redis::Script& script, const redis::Args& keys,
                                            const redis::Args& args) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(script, keys, args);
  if (!reply.ok()) return reply.status();
  return reply->IsInteger() && reply->integer == 1;
}

absl::StatusOr<bool> ReadyMarker::RenewRestore(const std::string& token,
                                               std::chrono::milliseconds lease_time) {
  return RunScript(RenewScript(), {claim_key_}, {token, std::to_string(lease_time.count())});
}

absl::Status ReadyMarker::MarkReady(const std::string& token) {
  auto held = RunScript(MarkReadyScript(), {claim_key_, ready_key_}, {token});
  if (!held.ok()) return held.status();
  return *held ? absl::OkStatus() : ClaimLost();
}

absl::Status ReadyMarker::AbandonRestore(const std::string& token) {
  auto held = RunScript(AbandonScript(), {claim_key_}, {token});
  return held.ok() ? absl::OkStatus() : held.status();
}

}  // namespace smsflow::store
