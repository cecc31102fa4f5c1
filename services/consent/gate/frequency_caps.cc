#include "services/consent/gate/frequency_caps.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace smsflow::consent::gate {
namespace {

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }
int64_t Ms(absl::Duration d) { return absl::ToInt64Milliseconds(d); }

// KEYS: counters. ARGV: now_ms, member, then window_ms and limit per key.
// Checks every counter before taking a slot in any, so a refused message
// leaves no trace. ZADD NX keeps the first reservation time of a retried
// message, so a retry neither counts twice nor extends its window.
const redis::Script& ReserveScript() {
  static const redis::Script kScript(R"lua(
local now = tonumber(ARGV[1])
local member = ARGV[2]
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[1 + 2 * i])
  local limit = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if not redis.call('ZSCORE', key, member) then
    if redis.call('ZCARD', key) >= limit then return i end
  end
end
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[1 + 2 * i])
  redis.call('ZADD', key, 'NX', now, member)
  redis.call('PEXPIRE', key, window)
end
return 0
)lua");
  return kScript;
}

}  // namespace

bool RuleApplies(const CapRule& rule, policy::Category category,
                 const std::vector<std::string>& regions) {
  if (std::find(rule.categories.begin(), rule.categories.end(), category) ==
      rule.categories.end()) {
    return false;
  }
  if (rule.regions.empty()) return true;
  for (const std::string& where : regions) {
    for (const std::string& r : rule.regions) {
      // "US" covers "US-FL"; "US-FL" covers only itself.
      if (where == r ||
          (absl::StartsWith(where, r) && where.size() > r.size() && where[r.size()] == '-')) {
        return true;
      }
    }
  }
  return false;
}

std::vector<CapCheck> CapsFor(const std::vector<CapRule>& rules, policy::Category category,
                              const std::vector<std::string>& regions, const std::string& tenant,
                              const std::string& to, const std::string& subject) {
  std::vector<CapCheck> out;
  for (const CapRule& rule : rules) {
    if (!RuleApplies(rule, category, regions)) continue;
    // Tenant and subject are free text: length-prefix them so keys never collide.
    std::string key = absl::StrCat(rule.name, "|", tenant.size(), ":", tenant, "|", to);
    if (rule.per_subject) absl::StrAppend(&key, "|", subject.size(), ":", subject);
    out.push_back({rule.name, std::move(key), rule.limit, rule.window});
  }
  return out;
}

absl::StatusOr<std::vector<int>> InMemoryCapLedger::ReserveAll(
    const std::vector<CapReservation>& reservations) {
  std::lock_guard lock(mu_);
  std::vector<int> out;
  out.reserve(reservations.size());
  for (const CapReservation& r : reservations) {
    int full = -1;
    for (size_t i = 0; i < r.caps.size() && full < 0; ++i) {
      auto& counter = counters_[r.caps[i].key];
      std::erase_if(counter, [&](const auto& kv) { return kv.second <= r.now - r.caps[i].window; });
      if (!counter.contains(r.member) && static_cast<int>(counter.size()) >= r.caps[i].limit) {
        full = static_cast<int>(i);
      }
    }
    if (full < 0) {
      for (const CapCheck& c : r.caps) counters_[c.key].emplace(r.member, r.now);
    }
    out.push_back(full);
  }
  return out;
}

absl::Status InMemoryCapLedger::ReleaseAll(const std::vector<CapReservation>& reservations) {
  std::lock_guard lock(mu_);
  for (const CapReservation& r : reservations) {
    for (const CapCheck& c : r.caps) counters_[c.key].erase(r.member);
  }
  return absl::OkStatus();
}

RedisCapLedger::RedisCapLedger(redis::Pool& pool, std::string prefix)
    : pool_(pool), prefix_(std::move(prefix)) {}

absl::StatusOr<std::vector<int>> RedisCapLedger::ReserveAll(
    const std::vector<CapReservation>& reservations) {
  std::vector<int> out(reservations.size(), -1);
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  std::vector<size_t> where;
  for (size_t i = 0; i < reservations.size(); ++i) {
    const CapReservation& r = reservations[i];
    if (r.caps.empty()) continue;
    redis::Args keys, args = {std::to_string(Ms(r.now)), r.member};
    for (const CapCheck& c : r.caps) {
      keys.push_back(prefix_ + c.key);
      args.push_back(std::to_string(Ms(c.window)));
      args.push_back(std::to_string(c.limit));
    }
    calls.emplace_back(std::move(keys), std::move(args));
    where.push_back(i);
  }
  if (calls.empty()) return out;
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(ReserveScript(), calls);
  if (!replies.ok()) return replies.status();
  for (size_t j = 0; j < where.size(); ++j) {
    const redis::Reply& reply = (*replies)[j];
    if (!reply.IsInteger()) {
      return reply.IsError()
                 ? reply.ToStatus()
                 : absl::InternalError("frequency caps: unexpected reply " + reply.DebugString());
    }
    out[where[j]] = static_cast<int>(reply.integer) - 1;
  }
  return out;
}

absl::Status RedisCapLedger::ReleaseAll(const std::vector<CapReservation>& reservations) {
  std::vector<redis::Args> commands;
  for (const CapReservation& r : reservations) {
    for (const CapCheck& c : r.caps) commands.push_back({"ZREM", prefix_ + c.key, r.member});
  }
  if (commands.empty()) return absl::OkStatus();
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->Pipeline(commands);
  return replies.ok() ? absl::OkStatus() : replies.status();
}

}  // namespace smsflow::consent::gate
