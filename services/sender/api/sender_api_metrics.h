#pragma once
// smsflow_sender_api_* and smsflow_sender_status_* metrics of the sender's
// API half (the dispatcher registers its own). Registered once per process;
// prometheus types are thread-safe.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace smsflow::sender {

struct SenderApiMetrics {
  explicit SenderApiMetrics(prometheus::Registry& registry);
  // {rpc, outcome (accepted|rejected|replayed), reason, category}, per message
  prometheus::Family<prometheus::Counter>& messages;
  // {rpc}: recipients per batch call (or stream chunk)
  prometheus::Family<prometheus::Histogram>& batch_size;
  // {}: produce to broker acknowledgement, per call
  prometheus::Histogram& publish_latency;
  // {topic}
  prometheus::Family<prometheus::Counter>& produce_errors;
  // {operation}: Redis calls that failed
  prometheus::Family<prometheus::Counter>& redis_errors;
  // {status}: tracked status transitions (message level)
  prometheus::Family<prometheus::Counter>& transitions;
  // {outcome (applied|stale|duplicate|skipped)}: delivery events folded
  prometheus::Family<prometheus::Counter>& status_events;
  // open WatchBatch streams
  prometheus::Gauge& watchers;
};

}  // namespace smsflow::sender
