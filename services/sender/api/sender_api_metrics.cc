#include "services/sender/api/sender_api_metrics.h"

#include "lib/metrics/metrics_server.h"

namespace smsflow::sender {

SenderApiMetrics::SenderApiMetrics(prometheus::Registry& registry)
    : messages(prometheus::BuildCounter()
                   .Name("smsflow_sender_api_messages_total")
                   .Help("Messages asked for through SenderService, by rpc, outcome (accepted, "
                         "rejected, replayed), rejection reason and category")
                   .Register(registry)),
      batch_size(prometheus::BuildHistogram()
                     .Name("smsflow_sender_api_batch_recipients")
                     .Help("Recipients per SendBatch call or SendBatchStream chunk")
                     .Register(registry)),
      publish_latency(prometheus::BuildHistogram()
                          .Name("smsflow_sender_api_publish_duration_seconds")
                          .Help("Time from produce to broker acknowledgement, per call")
                          .Register(registry)
                          .Add({}, metrics::LatencyBuckets())),
      produce_errors(prometheus::BuildCounter()
                         .Name("smsflow_sender_api_produce_errors_total")
                         .Help("Records Kafka did not acknowledge, by topic")
                         .Register(registry)),
      redis_errors(prometheus::BuildCounter()
                       .Name("smsflow_sender_api_redis_errors_total")
                       .Help("Redis calls that failed, by operation")
                       .Register(registry)),
      transitions(prometheus::BuildCounter()
                      .Name("smsflow_sender_status_transitions_total")
                      .Help("Message status changes folded into the status view, by new status")
                      .Register(registry)),
      status_events(prometheus::BuildCounter()
                        .Name("smsflow_sender_status_events_total")
                        .Help("Delivery events read by the status tracker, by outcome")
                        .Register(registry)),
      watchers(prometheus::BuildGauge()
                   .Name("smsflow_sender_api_batch_watchers")
                   .Help("Open WatchBatch streams")
                   .Register(registry)
                   .Add({})) {}

}  // namespace smsflow::sender
