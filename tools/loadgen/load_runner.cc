#include "tools/loadgen/load_runner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace smsflow::loadgen {

std::string LoadReport::ToJson(int items_per_call) const {
  return nlohmann::json{
      {"calls", calls},
      {"ok", ok},
      {"failed", failed},
      {"elapsed_s", elapsed_s},
      {"calls_per_s", elapsed_s > 0 ? calls / elapsed_s : 0},
      {"messages_per_s", elapsed_s > 0 ? ok * items_per_call / elapsed_s : 0},
      {"latency_ms", {{"p50", p50_ms}, {"p90", p90_ms}, {"p99", p99_ms}, {"max", max_ms}}}}
      .dump();
}

LoadReport RunLoad(const LoadOptions& options, const std::function<bool(int64_t)>& send) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + options.duration;
  const double interval_s = 1.0 / std::max(options.rate, 0.001);
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> ok{0}, failed{0};
  std::mutex mu;
  std::vector<double> latencies;
  std::vector<std::thread> threads;
  for (int w = 0; w < std::max(options.workers, 1); ++w) {
    threads.emplace_back([&] {
      std::vector<double> mine;
      while (true) {
        const int64_t i = next.fetch_add(1);
        if (i >= options.max_calls) break;
        // Open-loop pacing: call i is due at start + i * interval.
        const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(i * interval_s));
        if (due >= deadline) break;
        std::this_thread::sleep_until(due);
        const auto t0 = Clock::now();
        (send(i) ? ok : failed)++;
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::lock_guard lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  LoadReport r;
  r.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  r.ok = ok.load();
  r.failed = failed.load();
  r.calls = r.ok + r.failed;
  if (!latencies.empty()) {
    std::sort(latencies.begin(), latencies.end());
    auto pct = [&](double p) {
      return latencies[std::min(latencies.size() - 1, static_cast<size_t>(p * latencies.size()))];
    };
    r.p50_ms = pct(0.5);
    r.p90_ms = pct(0.9);
    r.p99_ms = pct(0.99);
    r.max_ms = latencies.back();
  }
  return r;
}

}  // namespace smsflow::loadgen
