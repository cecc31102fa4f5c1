#include "services/router/service/router_metrics.h"

#include "lib/metrics/metrics_server.h"

namespace smsflow::router {

RouterMetrics::RouterMetrics(prometheus::Registry& registry)
    : messages(prometheus::BuildCounter()
                   .Name("smsflow_router_messages_total")
                   .Help("Inbound messages by match kind, compliance family and outcome")
                   .Register(registry)),
      auto_replies(prometheus::BuildCounter()
                       .Name("smsflow_router_auto_replies_total")
                       .Help("Auto-replies by outcome (requested, skipped_missing_variable, "
                             "skipped_invalid)")
                       .Register(registry)),
      classify_latency(prometheus::BuildHistogram()
                           .Name("smsflow_router_classify_duration_seconds")
                           .Help("Intent prediction plus rule matching for one message")
                           .Register(registry)
                           .Add({}, metrics::LatencyBuckets())),
      subscribers(prometheus::BuildGauge()
                      .Name("smsflow_router_subscribers")
                      .Help("Open RouterService.Subscribe streams")
                      .Register(registry)
                      .Add({})),
      subscriber_drops(prometheus::BuildCounter()
                           .Name("smsflow_router_subscriber_drops_total")
                           .Help("Subscribe streams ended by the router, by reason")
                           .Register(registry)),
      fanout_delivered(prometheus::BuildCounter()
                           .Name("smsflow_router_fanout_delivered_total")
                           .Help("Routed messages queued to Subscribe streams")
                           .Register(registry)
                           .Add({})),
      rule_store_errors(prometheus::BuildCounter()
                            .Name("smsflow_router_rule_store_errors_total")
                            .Help("Rule store (Redis) calls that failed, by operation")
                            .Register(registry)),
      rule_reloads(prometheus::BuildCounter()
                       .Name("smsflow_router_rule_reloads_total")
                       .Help("Tenant rule tables recompiled and swapped in")
                       .Register(registry)
                       .Add({})) {}

}  // namespace smsflow::router
