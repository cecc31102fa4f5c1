#pragma once
// smsflow_consent_gate_* metrics, registered once per process and shared by
// the consumer thread and the releaser thread (prometheus-cpp is thread-safe).
// Labels are bounded: outcome, reason code name, category, operation.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace smsflow::consent::gate {

struct GateMetrics {
  explicit GateMetrics(prometheus::Registry& registry);
  // {outcome (approved|rejected|deferred|scheduled|canceled|duplicate), reason, category}
  prometheus::Family<prometheus::Counter>& decisions;
  // Held plus claimed messages, as last seen by the releaser.
  prometheus::Gauge& deferred_size;
  // {result (released|canceled|retry)}: held messages taken out by the releaser.
  prometheus::Family<prometheus::Counter>& releases;
  // {source (consumer|releaser)}: one batch from first Redis read to last ack.
  prometheus::Family<prometheus::Histogram>& batch_latency;
  // {operation}: a Redis call failed, so the batch (or part) was retried.
  prometheus::Family<prometheus::Counter>& redis_errors;
  // Records the broker did not acknowledge (the message is retried).
  prometheus::Counter& produce_errors;
};

}  // namespace smsflow::consent::gate
