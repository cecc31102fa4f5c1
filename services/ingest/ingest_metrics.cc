#include "services/ingest/ingest_metrics.h"

namespace smsflow::ingest {

IngestMetrics::IngestMetrics(prometheus::Registry& registry)
    : received(prometheus::BuildCounter()
                   .Name("smsflow_ingest_messages_total")
                   .Help("Inbound messages by source and outcome (accepted, duplicate, rejected, "
                         "failed) and rejection reason")
                   .Register(registry)),
      receipts(prometheus::BuildCounter()
                   .Name("smsflow_ingest_receipts_total")
                   .Help("Delivery receipts by source, outcome and reason (matched, unmatched, "
                         "rejected, failed)")
                   .Register(registry)),
      publish_latency(prometheus::BuildHistogram()
                          .Name("smsflow_ingest_publish_duration_seconds")
                          .Help("Time from produce to broker acknowledgement, per call")
                          .Register(registry)),
      produce_errors(prometheus::BuildCounter()
                         .Name("smsflow_ingest_produce_errors_total")
                         .Help("Records Kafka did not acknowledge, by topic")
                         .Register(registry)),
      batch_size(prometheus::BuildHistogram()
                     .Name("smsflow_ingest_batch_size")
                     .Help("Items per batch call, by source")
                     .Register(registry)),
      redis_errors(prometheus::BuildCounter()
                       .Name("smsflow_ingest_redis_errors_total")
                       .Help("Redis calls that failed, by operation (dedup, receipt_match)")
                       .Register(registry)) {}

}  // namespace smsflow::ingest
