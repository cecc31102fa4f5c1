#pragma once
// smsflow_sender_dispatch_* and smsflow_sender_ratelimit_* metrics, registered
// once per process. Per-lane children are created up front (4 lanes), so the
// hot path does no family lookups; carrier error codes and outcomes are small
// fixed sets. Thread-safe (prometheus-cpp metrics are).

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <string>

namespace smsflow::sender {

inline constexpr int kLaneCount = 4;
// "otp", "transactional", "conversational", "marketing" for lane index 0..3.
const std::string& LaneName(int lane);

struct LaneMetrics {
  prometheus::Gauge* queue_depth;
  prometheus::Histogram* dispatch_latency;  // approve_time -> carrier submit, seconds
  prometheus::Counter* segments_sent;
  prometheus::Counter* throttled_waits;  // groups held back by a rate limit
  prometheus::Counter* retries;
  prometheus::Counter* expirations;
};

class DispatchMetrics {
 public:
  explicit DispatchMetrics(prometheus::Registry& registry);

  LaneMetrics& lane(int index) { return lanes_[index]; }
  // outcome: sent, failed, expired, canceled, opted_out, sender_not_allowed,
  // duplicate, reconciled.
  void Outcome(int lane, const std::string& outcome);
  void CarrierError(int lane, const std::string& code);
  void RedisError(const std::string& operation);
  void Receipt(const std::string& outcome);  // matched, unmatched, failed

  prometheus::Counter& ratelimit_grants() { return *ratelimit_grants_; }
  prometheus::Counter& ratelimit_waits() { return *ratelimit_waits_; }
  prometheus::Counter& ratelimit_daily_cap() { return *ratelimit_daily_cap_; }
  // Carrier "slow down" answers that paused the connection.
  prometheus::Counter& carrier_pauses() { return *carrier_pauses_; }
  prometheus::Gauge& in_flight() { return *in_flight_; }

 private:
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Family<prometheus::Counter>& carrier_errors_;
  prometheus::Family<prometheus::Counter>& redis_errors_;
  prometheus::Family<prometheus::Counter>& receipts_;
  std::array<LaneMetrics, kLaneCount> lanes_;
  prometheus::Counter* ratelimit_grants_;
  prometheus::Counter* ratelimit_waits_;
  prometheus::Counter* ratelimit_daily_cap_;
  prometheus::Counter* carrier_pauses_;
  prometheus::Gauge* in_flight_;
};

}  // namespace smsflow::sender
