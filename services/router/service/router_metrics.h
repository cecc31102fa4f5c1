#pragma once
// smsflow_router_* metrics, registered once per process and shared by the
// inbound consumer, the Subscribe fan-out and the gRPC adapter. Labels are
// bounded: match kind, compliance family, outcome; never a tenant or number.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace smsflow::router {

struct RouterMetrics {
  explicit RouterMetrics(prometheus::Registry& registry);
  // {match_kind (keyword|phrase|regex|intent|catch_all|default),
  //  compliance (none|opt_out|opt_in|help), outcome (routed|dead_lettered|retried)}
  prometheus::Family<prometheus::Counter>& messages;
  // {outcome (requested|skipped_missing_variable|skipped_invalid)}
  prometheus::Family<prometheus::Counter>& auto_replies;
  // Rule matching plus intent prediction, per message.
  prometheus::Histogram& classify_latency;
  // Open Subscribe streams.
  prometheus::Gauge& subscribers;
  // {reason (overflow: a subscriber ended for reading too slowly;
  //  undecodable_record: a routed record the fan-out could not decode)}
  prometheus::Family<prometheus::Counter>& subscriber_drops;
  // Routed records fanned out to Subscribe streams (one per delivery).
  prometheus::Counter& fanout_delivered;
  // {operation (load|put|delete|poll|invalid_rule)}: rule store calls that
  // failed, or stored rules dropped because they no longer validate.
  prometheus::Family<prometheus::Counter>& rule_store_errors;
  // Rule table reloads applied (local changes and changes seen by polling).
  prometheus::Counter& rule_reloads;
};

}  // namespace smsflow::router
