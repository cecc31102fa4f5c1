#pragma once
// RetryPolicy: what to do after a carrier submission failed. Pure: the caller
// passes the attempt number, the time and a random draw, so tests can pin
// every branch. Immutable; safe to share between threads.
//
// Backoff for attempt n (1-based, the attempt that just failed) is
//   base = min(max_backoff, initial * multiplier^(n-1))
//   wait = base * (1 - jitter + jitter * u), u uniform in [0, 1)
// i.e. "equal jitter" with a tunable fraction: never below base*(1-jitter)
// (so a fleet of dispatchers backs off for real) and never above base (so
// max_backoff is a hard cap), while replicas that failed together spread out.

#include <chrono>
#include <string>

#include "absl/time/time.h"

namespace smsflow::sender {

// How the carrier's answer to one submission is classified by its adapter.
enum class ErrorKind {
  kNone,       // accepted
  kTransient,  // timeout, window/queue full, system error: retry may help
  // The carrier asks us to slow down (SMPP ESME_RTHROTTLED, HTTP 429):
  // retried like kTransient, and the dispatcher pauses that carrier
  // connection and sender number for every replica (RateLimiter::Pause).
  kThrottled,
  kPermanent,  // invalid destination, rejected content...: retrying cannot help
};

struct RetryOptions {
  int max_attempts = 5;  // submissions in total, including the first
  absl::Duration initial_backoff = absl::Milliseconds(500);
  double multiplier = 2.0;
  absl::Duration max_backoff = absl::Seconds(30);
  double jitter = 0.5;  // fraction of the backoff that is randomised, in [0, 1]
};

struct RetryDecision {
  enum class Action {
    kRetry,   // try again at `retry_at`
    kFail,    // final FAILED (permanent error, or retries exhausted)
    kExpire,  // final EXPIRED: the next attempt would be after expire_time
  };
  Action action = Action::kFail;
  absl::Time retry_at;
  bool exhausted = false;  // for kFail: transient errors used up the budget
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {});

  // Backoff before attempt `failed_attempt + 1`, for a random draw u in
  // [0, 1).
  absl::Duration Backoff(int failed_attempt, double u) const;

  // After attempt `failed_attempt` (1-based) failed with `kind`.
  // `expire_time` of InfiniteFuture() means no validity limit.
  RetryDecision Decide(int failed_attempt, ErrorKind kind, absl::Time now, absl::Time expire_time,
                       double u) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
};

}  // namespace smsflow::sender
