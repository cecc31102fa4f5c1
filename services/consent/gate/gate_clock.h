#pragma once
// Clock: where the gate reads "now". Quiet hours, validity, scheduled sends
// and the deferred-release loop all depend on the time, so tests inject a
// ManualClock and move it forward instead of waiting for 08:00 to come.
// Implementations are thread-safe (the consumer thread and the releaser
// thread read the same clock).

#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace smsflow::consent::gate {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that only moves when told to. For tests and benchmarks.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Set(absl::Time t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  absl::Time now_;
};

}  // namespace smsflow::consent::gate
