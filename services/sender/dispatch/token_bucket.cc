#include "services/sender/dispatch/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace smsflow::sender {

void Refill(const BucketLimit& limit, int64_t now_ms, BucketState* state) {
  if (!state->exists) {
    state->tokens = limit.burst;
    state->updated_ms = now_ms;
    state->exists = true;
    return;
  }
  const int64_t elapsed = std::max<int64_t>(0, now_ms - state->updated_ms);
  state->tokens = std::min(limit.burst, state->tokens + elapsed * limit.rate / 1000.0);
  state->updated_ms = std::max(state->updated_ms, now_ms);
}

GrantResult Grant(const std::vector<BucketLimit>& limits, std::vector<BucketState>* states,
                  DailyCapState* daily, const std::vector<int>& segments, int64_t now_ms) {
  GrantResult r;
  for (size_t b = 0; b < limits.size(); ++b) Refill(limits[b], now_ms, &(*states)[b]);
  const int64_t today = now_ms / kDayMs;
  if (daily->day != today) {
    daily->day = today;
    daily->used = 0;
  }
  for (int seg : segments) {
    const int s = std::max(1, seg);
    if (daily->limit >= 0 && daily->used + s > daily->limit) {
      r.daily_cap_reached = true;
      r.wait_ms = (today + 1) * kDayMs - now_ms;
      return r;
    }
    int64_t wait = 0;
    for (size_t b = 0; b < limits.size(); ++b) {
      const double need = std::min<double>(s, limits[b].burst);
      const double deficit = need - (*states)[b].tokens;
      if (deficit > 0) {
        wait = std::max<int64_t>(
            wait, static_cast<int64_t>(std::ceil(deficit * 1000.0 / limits[b].rate)));
      }
    }
    if (wait > 0) {
      r.wait_ms = wait;
      return r;
    }
    for (auto& st : *states) st.tokens -= s;
    daily->used += s;
    r.granted += 1;
    r.segments += s;
  }
  return r;
}

}  // namespace smsflow::sender
