#pragma once
// LoadRunner: calls `send` from `workers` threads at an aggregate target
// rate (calls per second) until `duration` has passed or `max_calls` were
// made, and collects per-call latencies. Bounded in count and time by
// construction. Thread-safe Run(); one run per object.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace smsflow::loadgen {

struct LoadOptions {
  double rate = 100;  // calls per second, all workers together
  std::chrono::milliseconds duration{10000};
  int64_t max_calls = 1'000'000;
  int workers = 4;
};

struct LoadReport {
  int64_t calls = 0;
  int64_t ok = 0;
  int64_t failed = 0;
  double elapsed_s = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0;
  std::string ToJson(int items_per_call) const;
};

// `send(i)` performs call number i and returns whether it succeeded.
LoadReport RunLoad(const LoadOptions& options, const std::function<bool(int64_t)>& send);

}  // namespace smsflow::loadgen
