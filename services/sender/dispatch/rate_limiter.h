#pragma once
// Rate limits for carrier submissions, counted in segments, shared by every
// dispatcher replica through Redis.
//
// RateLimitPolicy (pure) decides which buckets a message is subject to: its
// sender number (rate from the tenants config, COMPLIANCE.md defaults by
// type), its tenant, the carrier connection, and the tenant's daily cap.
// RedisRateLimiter takes tokens from all of them in ONE atomic Lua call per
// group of messages that share buckets (many groups per pipelined round
// trip), using Redis TIME so replicas' clocks do not matter. The script
// mirrors token_bucket.h exactly. Keys are not hash-tagged: one Redis (or a
// primary with replicas), not Redis Cluster.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/tenants.h"
#include "lib/redis/client.h"
#include "services/sender/dispatch/token_bucket.h"

namespace smsflow::sender {

// One atomic take: messages (their segment counts, in order) against a set
// of buckets and an optional daily cap.
struct LimitRequest {
  std::vector<std::string> keys;  // Redis key per bucket
  std::vector<BucketLimit> limits;
  std::string daily_key;  // empty: no daily cap
  int64_t daily_limit = -1;
  std::vector<int> segments;
  // Keys a carrier's "slow down" sets (RateLimiter::Pause): while any is
  // live nothing is granted and wait_ms is the longest time left.
  std::vector<std::string> pause_keys;
};

// Interface the dispatcher depends on. Implementations are thread-safe.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // One GrantResult per request, in order. UNAVAILABLE when the limiter
  // cannot answer: then nothing was granted and nothing may be sent.
  virtual absl::StatusOr<std::vector<GrantResult>> AcquireAll(
      const std::vector<LimitRequest>& requests) = 0;
  // Grants nothing under `pause_keys` for `duration` (a live longer pause
  // is kept). Shared by every replica.
  virtual absl::Status Pause(const std::vector<std::string>& pause_keys,
                             absl::Duration duration) = 0;
};

class RedisRateLimiter : public RateLimiter {
 public:
  explicit RedisRateLimiter(redis::Pool& pool) : pool_(pool) {}
  absl::StatusOr<std::vector<GrantResult>> AcquireAll(
      const std::vector<LimitRequest>& requests) override;
  absl::Status Pause(const std::vector<std::string>& pause_keys, absl::Duration duration) override;

 private:
  redis::Pool& pool_;
};

struct RateLimitOptions {
  std::string key_prefix = "smsflow:rl:";
  // Burst of a sender number's bucket in seconds of its rate (at least 1
  // segment): 1 s means "never more than one second's worth at once".
  double number_burst_seconds = 1.0;
  // Per tenant across all its numbers (segments/s); <= 0 = no tenant bucket.
  // Tenants whose tenants-file entry sets limits.rate / limits.daily_segments
  // get those unless the maps below already name them.
  double default_tenant_rate = 0;
  std::map<std::string, double> tenant_rates;
  double tenant_burst_seconds = 1.0;
  // Per carrier connection (all tenants); <= 0 = no connection bucket.
  std::string carrier_connection = "sim";
  double carrier_rate = 0;
  double carrier_burst_seconds = 1.0;
  // Segments per tenant per UTC day; < 0 = no cap.
  int64_t default_daily_cap = -1;
  std::map<std::string, int64_t> daily_caps;
};

// Pure: the buckets for (tenant, sender number). Immutable; thread-safe.
class RateLimitPolicy {
 public:
  RateLimitPolicy(RateLimitOptions options, std::shared_ptr<const config::TenantDirectory> tenants);

  // The request (without segments) for a message from `from` of `tenant_id`.
  // A number not in the tenants config gets the long-code default rate (the
  // gate and API only let configured numbers through; this is defence).
  LimitRequest For(const std::string& tenant_id, const std::string& from) const;
  // Messages whose For() is identical can share one Lua call.
  std::string GroupKey(const std::string& tenant_id, const std::string& from) const;

 private:
  RateLimitOptions options_;
  std::shared_ptr<const config::TenantDirectory> tenants_;
};

}  // namespace smsflow::sender
