#pragma once
// smsflow_ingest_* metrics, registered once per process and shared by the
// gRPC handlers and the webhook server (label `source` tells them apart).

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace smsflow::ingest {

struct IngestMetrics {
  explicit IngestMetrics(prometheus::Registry& registry);
  // {source, outcome (accepted|duplicate|rejected|failed), reason}
  prometheus::Family<prometheus::Counter>& received;
  // {source, outcome, reason} for delivery receipts
  prometheus::Family<prometheus::Counter>& receipts;
  // {topic}: produce to broker acknowledgement
  prometheus::Family<prometheus::Histogram>& publish_latency;
  // {topic}
  prometheus::Family<prometheus::Counter>& produce_errors;
  // {source}: items per batch call
  prometheus::Family<prometheus::Histogram>& batch_size;
  // {operation}: Redis unavailable, so dedup or receipt matching was skipped
  prometheus::Family<prometheus::Counter>& redis_errors;
};

}  // namespace smsflow::ingest
