#pragma once
// smsflow_consent_* metrics of the keyword handler, the ledger applier and
// the ConsentService API. Registered once per process (main.cpp owns it) and
// shared by those three; the gate has its own struct. Labels are bounded
// (families, methods, outcomes, reason codes; never a phone number).

#include <prometheus/counter.h>
#include <prometheus/registry.h>

namespace smsflow::consent::ledger {

struct LedgerMetrics {
  explicit LedgerMetrics(prometheus::Registry& registry);
  // {family (opt_out|opt_in|help|implied|none), method (exact_keyword|phrase|
  // first_message|none)}: one per inbound message handled.
  prometheus::Family<prometheus::Counter>& keyword_outcomes;
  // {action}: ledger events folded into the view.
  prometheus::Family<prometheus::Counter>& events_applied;
  // {family, outcome (sent|suppressed)}: confirmation replies requested, or
  // not because of the confirmation window or policy (help when opted out).
  prometheus::Family<prometheus::Counter>& confirmations;
  // {rpc (check|check_batch), outcome (allowed|rejected), reason}
  prometheus::Family<prometheus::Counter>& check_decisions;
  // {rpc}: ledger events appended through the API.
  prometheus::Family<prometheus::Counter>& api_events;
  // {operation}: Kafka or Redis failures that made a batch retry.
  prometheus::Family<prometheus::Counter>& failures;
};

}  // namespace smsflow::consent::ledger
