#include "services/sender/dispatch/retry_policy.h"

#include <gtest/gtest.h>

namespace smsflow::sender {
namespace {

RetryOptions Opts() {
  RetryOptions o;
  o.max_attempts = 6;
  o.initial_backoff = absl::Seconds(1);
  o.multiplier = 2;
  o.max_backoff = absl::Seconds(10);
  o.jitter = 0.5;
  return o;
}

TEST(RetryPolicy, BackoffGrowsExponentiallyUpToTheCap) {
  RetryPolicy p(Opts());
  // u = 1 (upper end): exactly the base.
  EXPECT_EQ(p.Backoff(1, 1.0), absl::Seconds(1));
  EXPECT_EQ(p.Backoff(2, 1.0), absl::Seconds(2));
  EXPECT_EQ(p.Backoff(3, 1.0), absl::Seconds(4));
  EXPECT_EQ(p.Backoff(4, 1.0), absl::Seconds(8));
  EXPECT_EQ(p.Backoff(5, 1.0), absl::Seconds(10));
  EXPECT_EQ(p.Backoff(60, 1.0), absl::Seconds(10));  // no overflow
}

TEST(RetryPolicy, JitterStaysWithinBounds) {
  RetryPolicy p(Opts());
  for (double u : {0.0, 0.1, 0.5, 0.9, 0.999}) {
    for (int n = 1; n < 8; ++n) {
      const absl::Duration base = p.Backoff(n, 1.0);
      const absl::Duration b = p.Backoff(n, u);
      EXPECT_GE(b, base * 0.5) << n << " " << u;
      EXPECT_LE(b, base) << n << " " << u;
    }
  }
  EXPECT_EQ(p.Backoff(3, 0.0), absl::Seconds(2));  // half of 4 s
  RetryOptions none = Opts();
  none.jitter = 0;
  EXPECT_EQ(RetryPolicy(none).Backoff(3, 0.3), absl::Seconds(4));
}

TEST(RetryPolicy, TransientErrorsRetryUntilTheBudgetIsUsed) {
  RetryPolicy p(Opts());
  const absl::Time now = absl::FromUnixSeconds(1000);
  for (int attempt = 1; attempt < 6; ++attempt) {
    RetryDecision d = p.Decide(attempt, ErrorKind::kTransient, now, absl::InfiniteFuture(), 1.0);
    EXPECT_EQ(d.action, RetryDecision::Action::kRetry) << attempt;
    EXPECT_EQ(d.retry_at, now + p.Backoff(attempt, 1.0));
  }
  RetryDecision last = p.Decide(6, ErrorKind::kTransient, now, absl::InfiniteFuture(), 1.0);
  EXPECT_EQ(last.action, RetryDecision::Action::kFail);
  EXPECT_TRUE(last.exhausted);
}

TEST(RetryPolicy, PermanentErrorsFailAtOnce) {
  RetryPolicy p(Opts());
  RetryDecision d =
      p.Decide(1, ErrorKind::kPermanent, absl::FromUnixSeconds(0), absl::InfiniteFuture(), 0.5);
  EXPECT_EQ(d.action, RetryDecision::Action::kFail);
  EXPECT_FALSE(d.exhausted);
}

TEST(RetryPolicy, ExpiresWhenTheNextAttemptIsPastValidity) {
  RetryPolicy p(Opts());
  const absl::Time now = absl::FromUnixSeconds(1000);
  RetryDecision d = p.Decide(3, ErrorKind::kTransient, now, now + absl::Seconds(3), 1.0);
  EXPECT_EQ(d.action, RetryDecision::Action::kExpire);  // 4 s backoff > 3 s left
  d = p.Decide(1, ErrorKind::kTransient, now, now + absl::Seconds(3), 1.0);
  EXPECT_EQ(d.action, RetryDecision::Action::kRetry);
}

TEST(RetryPolicy, ThrottledIsRetriedLikeATransientError) {
  RetryPolicy p;
  const absl::Time now = absl::FromUnixSeconds(1000);
  const RetryDecision d = p.Decide(1, ErrorKind::kThrottled, now, absl::InfiniteFuture(), 0.5);
  EXPECT_EQ(d.action, RetryDecision::Action::kRetry);
  EXPECT_GT(d.retry_at, now);
}

}  // namespace
}  // namespace smsflow::sender
