#include "lib/store/idempotency.h"

#include "absl/strings/str_cat.h"

namespace smsflow::store {
namespace {

// Stored values: "p|<claimed_at_ms>|<value>" while pending, "d|<value>" when
// done. Time comes from the Redis server so replicas' clocks do not matter.
const redis::Script& ClaimScript() {
  static const redis::Script kScript(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], 'p|' .. now .. '|' .. ARGV[1], 'PX', ARGV[2])
  return {'new', ARGV[1]}
end
if string.sub(v, 1, 2) == 'd|' then
  return {'dup', string.sub(v, 3)}
end
local sep = string.find(v, '|', 3, true)
local claimed = tonumber(string.sub(v, 3, sep - 1))
local original = string.sub(v, sep + 1)
if now - claimed >= tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], 'p|' .. now .. '|' .. original, 'PX', ARGV[2])
  return {'retake', original}
end
return {'inflight', original}
)lua");
  return kScript;
}

const redis::Script& CompleteScript() {
  static const redis::Script kScript(R"lua(
local v = redis.call('GET', KEYS[1])
if not v or string.sub(v, 1, 2) ~= 'p|' then return 0 end
local sep = string.find(v, '|', 3, true)
if string.sub(v, sep + 1) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], 'd|' .. ARGV[1], 'KEEPTTL')
return 1
)lua");
  return kScript;
}

const redis::Script& ReleaseScript() {
  static const redis::Script kScript(R"lua(
local v = redis.call('GET', KEYS[1])
if not v or string.sub(v, 1, 2) ~= 'p|' then return 0 end
local sep = string.find(v, '|', 3, true)
if string.sub(v, sep + 1) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
)lua");
  return kScript;
}

}  // namespace

IdempotencyStore::IdempotencyStore(redis::Pool& pool, std::string prefix,
                                   std::chrono::milliseconds ttl,
                                   std::chrono::milliseconds takeover_after)
    : pool_(pool), prefix_(std::move(prefix)), ttl_(ttl), takeover_after_(takeover_after) {}

absl::StatusOr<std::vector<ClaimResult>> IdempotencyStore::ClaimAll(
    const std::vector<Claim>& claims) {
  std::vector<ClaimResult> results;
  if (claims.empty()) return results;
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(claims.size());
  const std::string ttl = std::to_string(ttl_.count());
  const std::string takeover = std::to_string(takeover_after_.count());
  for (const Claim& c : claims) {
    calls.push_back({{prefix_ + c.key}, {c.value, ttl, takeover}});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(ClaimScript(), calls);
  if (!replies.ok()) return replies.status();
  results.reserve(claims.size());
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
    if (!r.IsArray() || r.elements.size() != 2) {
      return absl::InternalError("idempotency claim: unexpected reply " + r.DebugString());
    }
    ClaimResult res;
    const std::string& kind = r.elements[0].str;
    res.kind = kind == "new"      ? ClaimResult::Kind::kNew
               : kind == "dup"    ? ClaimResult::Kind::kDuplicate
               : kind == "retake" ? ClaimResult::Kind::kTakenOver
                                  : ClaimResult::Kind::kInFlight;
    res.value = r.elements[1].str;
    results.push_back(std::move(res));
  }
  return results;
}

namespace {
absl::Status RunForEach(redis::Pool& pool, const redis::Script& script, const std::string& prefix,
                        const std::vector<KeyValue>& items) {
  if (items.empty()) return absl::OkStatus();
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(items.size());
  for (const KeyValue& kv : items) calls.push_back({{prefix + kv.key}, {kv.value}});
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(script, calls);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
  }
  return absl::OkStatus();
}
}  // namespace

absl::Status IdempotencyStore::CompleteAll(const std::vector<KeyValue>& done) {
  return RunForEach(pool_, CompleteScript(), prefix_, done);
}

absl::Status IdempotencyStore::ReleaseAll(const std::vector<KeyValue>& failed) {
  return RunForEach(pool_, ReleaseScript(), prefix_, failed);
}

}  // namespace smsflow::store
