#include "services/sender/dispatch/rate_limiter.h"

#include <algorithm>
#include <cstdio>

namespace smsflow::sender {
namespace {

// KEYS: bucket keys..., daily key, pause keys... ARGV: nb, (rate, burst) x
// nb, daily_limit, n, segments x n, np. Returns {granted, wait_ms,
// segments_taken, daily_capped}. Mirrors Grant() in token_bucket.cc, after
// the carrier's pauses (nothing granted while one is live).
const redis::Script& TakeScript() {
  static const redis::Script kScript(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nb = tonumber(ARGV[1])
local np = tonumber(ARGV[#ARGV])
local paused = 0
for p = 1, np do
  local left = redis.call('PTTL', KEYS[nb + 1 + p])
  if left > paused then paused = left end
end
if paused > 0 then return {0, paused, 0, 0} end
local rates, bursts, tokens = {}, {}, {}
for b = 1, nb do
  rates[b] = tonumber(ARGV[2 * b])
  bursts[b] = tonumber(ARGV[2 * b + 1])
  local h = redis.call('HMGET', KEYS[b], 't', 'u')
  if h[1] then
    local elapsed = now - tonumber(h[2])
    if elapsed < 0 then elapsed = 0 end
    tokens[b] = math.min(bursts[b], tonumber(h[1]) + elapsed * rates[b] / 1000)
  else
    tokens[b] = bursts[b]
  end
end
local i = 2 * nb + 2
local daily_limit = tonumber(ARGV[i])
local n = tonumber(ARGV[i + 1])
local today = math.floor(now / 86400000)
local used = 0
if daily_limit >= 0 then
  local d = redis.call('HMGET', KEYS[nb + 1], 'd', 'n')
  if d[1] and tonumber(d[1]) == today then used = tonumber(d[2]) end
end
local granted, segs, wait, capped = 0, 0, 0, 0
for m = 1, n do
  local s = tonumber(ARGV[i + 1 + m])
  if s < 1 then s = 1 end
  if daily_limit >= 0 and used + s > daily_limit then
    capped = 1
    wait = (today + 1) * 86400000 - now
    break
  end
  local w = 0
  for b = 1, nb do
    local deficit = math.min(s, bursts[b]) - tokens[b]
    if deficit > 0 then
      local wb = math.ceil(deficit * 1000 / rates[b])
      if wb > w then w = wb end
    end
  end
  if w > 0 then
    wait = w
    break
  end
  for b = 1, nb do tokens[b] = tokens[b] - s end
  used = used + s
  granted = granted + 1
  segs = segs + s
end
if granted > 0 then
  for b = 1, nb do
    redis.call('HSET', KEYS[b], 't', tokens[b], 'u', now)
    redis.call('PEXPIRE', KEYS[b], math.ceil((bursts[b] - tokens[b]) * 1000 / rates[b]) + 1000)
  end
  if daily_limit >= 0 then
    redis.call('HSET', KEYS[nb + 1], 'd', today, 'n', used)
    redis.call('PEXPIRE', KEYS[nb + 1], 2 * 86400000)
  end
end
return {granted, wait, segs, capped}
)lua");
  return kScript;
}

// KEYS: pause keys. ARGV: milliseconds. Extends, never shortens, a pause.
const redis::Script& PauseScript() {
  static const redis::Script kScript(R"lua(
local ms = tonumber(ARGV[1])
for k = 1, #KEYS do
  if redis.call('PTTL', KEYS[k]) < ms then redis.call('SET', KEYS[k], '1', 'PX', ms) end
end
return 1
)lua");
  return kScript;
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

absl::StatusOr<std::vector<GrantResult>> RedisRateLimiter::AcquireAll(
    const std::vector<LimitRequest>& requests) {
  std::vector<GrantResult> out;
  if (requests.empty()) return out;
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(requests.size());
  for (const LimitRequest& r : requests) {
    redis::Args keys = r.keys;
    keys.push_back(r.daily_key.empty() ? r.keys.empty() ? "smsflow:rl:none" : r.keys[0] + ":day"
                                       : r.daily_key);
    redis::Args args{std::to_string(r.keys.size())};
    for (const BucketLimit& l : r.limits) {
      args.push_back(Num(l.rate));
      args.push_back(Num(l.burst));
    }
    args.push_back(std::to_string(r.daily_key.empty() ? -1 : r.daily_limit));
    args.push_back(std::to_string(r.segments.size()));
    for (int s : r.segments) args.push_back(std::to_string(s));
    for (const std::string& k : r.pause_keys) keys.push_back(k);
    args.push_back(std::to_string(r.pause_keys.size()));
    calls.push_back({std::move(keys), std::move(args)});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(TakeScript(), calls);
  if (!replies.ok()) return replies.status();
  out.reserve(requests.size());
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
    if (!r.IsArray() || r.elements.size() != 4) {
      return absl::InternalError("rate limiter: unexpected reply " + r.DebugString());
    }
    GrantResult g;
    g.granted = static_cast<int>(r.elements[0].integer);
    g.wait_ms = r.elements[1].integer;
    g.segments = r.elements[2].integer;
    g.daily_cap_reached = r.elements[3].integer != 0;
    out.push_back(g);
  }
  return out;
}

absl::Status RedisRateLimiter::Pause(const std::vector<std::string>& pause_keys,
                                     absl::Duration duration) {
  const int64_t ms = absl::ToInt64Milliseconds(duration);
  if (pause_keys.empty() || ms <= 0) return absl::OkStatus();
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(PauseScript(), pause_keys, {std::to_string(ms)});
  if (!reply.ok()) return reply.status();
  return reply->IsError() ? reply->ToStatus() : absl::OkStatus();
}

RateLimitPolicy::RateLimitPolicy(RateLimitOptions options,
                                 std::shared_ptr<const config::TenantDirectory> tenants)
    : options_(std::move(options)), tenants_(std::move(tenants)) {
  // The tenants file's limits fill what the options leave open (the flags
  // are the defaults for tenants that set none).
  if (tenants_ == nullptr) return;
  for (const config::Tenant& t : tenants_->tenants()) {
    if (t.limits.rate.has_value()) options_.tenant_rates.emplace(t.id, *t.limits.rate);
    if (t.limits.daily_segments.has_value()) {
      options_.daily_caps.emplace(t.id, *t.limits.daily_segments);
    }
  }
}

LimitRequest RateLimitPolicy::For(const std::string& tenant_id, const std::string& from) const {
  LimitRequest r;
  double number_rate = config::DefaultRate(config::NumberType::kLongCode);
  if (tenants_ != nullptr) {
    if (auto owner = tenants_->FindNumber(from)) number_rate = owner->number->rate;
  }
  auto add = [&](std::string key, double rate, double burst_seconds) {
    r.keys.push_back(options_.key_prefix + std::move(key));
    r.limits.push_back({rate, std::max(1.0, rate * burst_seconds)});
  };
  add("num:" + from, number_rate, options_.number_burst_seconds);
  auto tr = options_.tenant_rates.find(tenant_id);
  const double tenant_rate =
      tr != options_.tenant_rates.end() ? tr->second : options_.default_tenant_rate;
  if (tenant_rate > 0) add("tenant:" + tenant_id, tenant_rate, options_.tenant_burst_seconds);
  if (options_.carrier_rate > 0) {
    add("carrier:" + options_.carrier_connection, options_.carrier_rate,
        options_.carrier_burst_seconds);
  }
  // A carrier's "slow down" (ESME_RTHROTTLED is per bind) holds the whole
  // connection, whatever its configured rate.
  r.pause_keys.push_back(options_.key_prefix + "pause:carrier:" + options_.carrier_connection);
  auto dc = options_.daily_caps.find(tenant_id);
  const int64_t cap = dc != options_.daily_caps.end() ? dc->second : options_.default_daily_cap;
  if (cap >= 0) {
    r.daily_key = options_.key_prefix + "daily:" + tenant_id;
    r.daily_limit = cap;
  }
  return r;
}

std::string RateLimitPolicy::GroupKey(const std::string& tenant_id, const std::string& from) const {
  return tenant_id + "|" + from;
}

}  // namespace smsflow::sender
