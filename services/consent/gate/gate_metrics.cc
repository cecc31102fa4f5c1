#include "services/consent/gate/gate_metrics.h"

namespace smsflow::consent::gate {

GateMetrics::GateMetrics(prometheus::Registry& registry)
    : decisions(prometheus::BuildCounter()
                    .Name("smsflow_consent_gate_decisions_total")
                    .Help("Outbound requests decided by the consent gate")
                    .Register(registry)),
      deferred_size(prometheus::BuildGauge()
                        .Name("smsflow_consent_gate_deferred_messages")
                        .Help("Messages held for quiet hours or a future send_time")
                        .Register(registry)
                        .Add({})),
      releases(prometheus::BuildCounter()
                   .Name("smsflow_consent_gate_releases_total")
                   .Help("Held messages taken out by the releaser, by result")
                   .Register(registry)),
      batch_latency(prometheus::BuildHistogram()
                        .Name("smsflow_consent_gate_batch_decision_seconds")
                        .Help("Time to decide and publish one batch")
                        .Register(registry)),
      redis_errors(prometheus::BuildCounter()
                       .Name("smsflow_consent_gate_redis_errors_total")
                       .Help("Redis calls that failed; the affected messages were retried")
                       .Register(registry)),
      produce_errors(prometheus::BuildCounter()
                         .Name("smsflow_consent_gate_produce_errors_total")
                         .Help("Records the broker did not acknowledge")
                         .Register(registry)
                         .Add({})) {}

}  // namespace smsflow::consent::gate
