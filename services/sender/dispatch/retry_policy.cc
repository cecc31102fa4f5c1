#include "services/sender/dispatch/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace smsflow::sender {

RetryPolicy::RetryPolicy(RetryOptions options) : options_(options) {
  options_.max_attempts = std::max(1, options_.max_attempts);
  options_.multiplier = std::max(1.0, options_.multiplier);
  options_.jitter = std::clamp(options_.jitter, 0.0, 1.0);
}

absl::Duration RetryPolicy::Backoff(int failed_attempt, double u) const {
  const int n = std::max(1, failed_attempt);
  // Computed in doubles and capped before converting, so a large attempt
  // number cannot overflow.
  const double initial_s = absl::ToDoubleSeconds(options_.initial_backoff);
  const double cap_s = absl::ToDoubleSeconds(options_.max_backoff);
  const double base_s = std::min(cap_s, initial_s * std::pow(options_.multiplier, n - 1));
  const double draw = std::clamp(u, 0.0, 1.0);
  return absl::Seconds(base_s * (1.0 - options_.jitter + options_.jitter * draw));
}

RetryDecision RetryPolicy::Decide(int failed_attempt, ErrorKind kind, absl::Time now,
                                  absl::Time expire_time, double u) const {
  RetryDecision d;
  if (kind == ErrorKind::kPermanent || kind == ErrorKind::kNone) {
    d.action = RetryDecision::Action::kFail;
    return d;
  }
  if (failed_attempt >= options_.max_attempts) {
    d.action = RetryDecision::Action::kFail;
    d.exhausted = true;
    return d;
  }
  d.retry_at = now + Backoff(failed_attempt, u);
  d.action =
      d.retry_at >= expire_time ? RetryDecision::Action::kExpire : RetryDecision::Action::kRetry;
  return d;
}

}  // namespace smsflow::sender
