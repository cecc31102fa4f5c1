#pragma once
// Waiting on a condition with a deadline: the only way tests synchronise.

#include <chrono>
#include <functional>
#include <thread>

namespace smsflow::testing {

// Polls `condition` until it is true or `timeout` has passed; returns the last
// value. The poll interval grows from 1 ms to 50 ms so a fast condition costs
// little and a slow one does not spin.
inline bool WaitFor(const std::function<bool()>& condition,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto interval = std::chrono::milliseconds(1);
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(interval);  // poll interval, bounded by the deadline
    interval = std::min(interval * 2, std::chrono::milliseconds(50));
  }
}

}  // namespace smsflow::testing
