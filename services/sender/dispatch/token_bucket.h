#pragma once
// Token-bucket maths, counted in SMS segments. Pure, no I/O: this is the
// reference the Redis Lua script in rate_limiter.cc mirrors line for line
// (the unit tests pin the maths here; the integration test runs the script
// against redis-server on the same cases).
//
// A bucket refills at `rate` tokens/s up to `burst`; a new bucket is full.
// Messages are granted in order, all-or-nothing per message, across every
// bucket at once: message i fits when each bucket holds at least
// min(segments_i, burst) tokens and the daily cap has room for segments_i.
// Taking deducts the full segments_i, so a message longer than a bucket's
// burst drives it negative ("debt") and the bucket then waits until it is
// repaid: the long-run rate holds even for messages longer than the burst.
// The first message that does not fit stops the grant (order is kept), and
// the answer says how long until it would fit.

#include <cstdint>
#include <vector>

namespace smsflow::sender {

struct BucketLimit {
  double rate = 1.0;   // tokens (segments) per second, > 0
  double burst = 1.0;  // capacity, >= 1
};

struct BucketState {
  double tokens = 0;
  int64_t updated_ms = 0;
  bool exists = false;  // false: a new (full) bucket
};

struct DailyCapState {
  int64_t limit = -1;  // segments per UTC day; < 0 = no cap
  int64_t day = 0;     // days since the epoch the count belongs to
  int64_t used = 0;
};

struct GrantResult {
  int granted = 0;       // messages that fit (a prefix of the request)
  int64_t wait_ms = 0;   // when granted < requested: until the next one fits
  int64_t segments = 0;  // segments taken
  bool daily_cap_reached = false;
};

// Refills `state` to `now_ms` under `limit`.
void Refill(const BucketLimit& limit, int64_t now_ms, BucketState* state);

// Grants a prefix of `segments` against all buckets (refilled to now_ms
// first) and the daily cap, updating every state in place. limits.size() must
// equal states->size().
GrantResult Grant(const std::vector<BucketLimit>& limits, std::vector<BucketState>* states,
                  DailyCapState* daily, const std::vector<int>& segments, int64_t now_ms);

inline constexpr int64_t kDayMs = 86400000;

}  // namespace smsflow::sender
