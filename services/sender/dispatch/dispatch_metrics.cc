#include "services/sender/dispatch/dispatch_metrics.h"

#include "lib/metrics/metrics_server.h"

namespace smsflow::sender {

const std::string& LaneName(int lane) {
  static const std::array<std::string, kLaneCount> kNames = {"otp", "transactional",
                                                             "conversational", "marketing"};
  return kNames[lane];
}

DispatchMetrics::DispatchMetrics(prometheus::Registry& registry)
    : outcomes_(prometheus::BuildCounter()
                    .Name("smsflow_sender_dispatch_outcomes_total")
                    .Help("Approved messages by lane and final dispatch outcome")
                    .Register(registry)),
      carrier_errors_(prometheus::BuildCounter()
                          .Name("smsflow_sender_dispatch_carrier_errors_total")
                          .Help("Carrier submission errors by lane and carrier error code")
                          .Register(registry)),
      redis_errors_(prometheus::BuildCounter()
                        .Name("smsflow_sender_dispatch_redis_errors_total")
                        .Help("Redis calls that failed (the dispatcher waited), by operation")
                        .Register(registry)),
      receipts_(prometheus::BuildCounter()
                    .Name("smsflow_sender_dispatch_receipts_total")
                    .Help("Carrier delivery receipts by outcome (matched, unmatched, failed)")
                    .Register(registry)) {
  auto& depth = prometheus::BuildGauge()
                    .Name("smsflow_sender_dispatch_queue_depth")
                    .Help("Approved messages held in memory per lane, waiting or in flight")
                    .Register(registry);
  auto& latency = prometheus::BuildHistogram()
                      .Name("smsflow_sender_dispatch_latency_seconds")
                      .Help("Time from gate approval to carrier submission, per lane")
                      .Register(registry);
  auto& segments = prometheus::BuildCounter()
                       .Name("smsflow_sender_dispatch_segments_total")
                       .Help("Segments submitted to carriers, per lane")
                       .Register(registry);
  auto& throttled = prometheus::BuildCounter()
                        .Name("smsflow_sender_dispatch_throttled_waits_total")
                        .Help("Messages held back by a rate limit (each hold counts), per lane")
                        .Register(registry);
  auto& retries = prometheus::BuildCounter()
                      .Name("smsflow_sender_dispatch_retries_total")
                      .Help("Submissions retried after a transient carrier error, per lane")
                      .Register(registry);
  auto& expirations = prometheus::BuildCounter()
                          .Name("smsflow_sender_dispatch_expirations_total")
                          .Help("Messages expired before submission, per lane")
                          .Register(registry);
  for (int i = 0; i < kLaneCount; ++i) {
    const std::map<std::string, std::string> l{{"lane", LaneName(i)}};
    lanes_[i] = LaneMetrics{&depth.Add(l),    &latency.Add(l, metrics::LatencyBuckets()),
                            &segments.Add(l), &throttled.Add(l),
                            &retries.Add(l),  &expirations.Add(l)};
  }
  ratelimit_grants_ = &prometheus::BuildCounter()
                           .Name("smsflow_sender_ratelimit_grants_total")
                           .Help("Messages granted by the Redis token buckets")
                           .Register(registry)
                           .Add({});
  ratelimit_waits_ = &prometheus::BuildCounter()
                          .Name("smsflow_sender_ratelimit_waits_total")
                          .Help("Rate-limit calls that left messages waiting for tokens")
                          .Register(registry)
                          .Add({});
  carrier_pauses_ = &prometheus::BuildCounter()
                         .Name("smsflow_sender_carrier_pauses_total")
                         .Help(
                             "Carrier throttling answers that paused the connection for every "
                             "dispatcher replica")
                         .Register(registry)
                         .Add({});
  ratelimit_daily_cap_ = &prometheus::BuildCounter()
                              .Name("smsflow_sender_ratelimit_daily_cap_total")
                              .Help("Rate-limit calls stopped by a tenant's daily cap")
                              .Register(registry)
                              .Add({});
  in_flight_ = &prometheus::BuildGauge()
                    .Name("smsflow_sender_dispatch_in_flight")
                    .Help("Submissions awaiting the carrier's answer or its status event ack")
                    .Register(registry)
                    .Add({});
}

void DispatchMetrics::Outcome(int lane, const std::string& outcome) {
  outcomes_.Add({{"lane", LaneName(lane)}, {"outcome", outcome}}).Increment();
}
void DispatchMetrics::CarrierError(int lane, const std::string& code) {
  carrier_errors_.Add({{"lane", LaneName(lane)}, {"code", code}}).Increment();
}
void DispatchMetrics::RedisError(const std::string& operation) {
  redis_errors_.Add({{"operation", operation}}).Increment();
}
void DispatchMetrics::Receipt(const std::string& outcome) {
  receipts_.Add({{"outcome", outcome}}).Increment();
}

}  // namespace smsflow::sender
