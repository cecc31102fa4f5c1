#include "services/consent/ledger/ledger_metrics.h"

namespace smsflow::consent::ledger {

LedgerMetrics::LedgerMetrics(prometheus::Registry& registry)
    : keyword_outcomes(prometheus::BuildCounter()
                           .Name("smsflow_consent_keyword_outcomes_total")
                           .Help("Inbound messages by detected family and detection method")
                           .Register(registry)),
      events_applied(prometheus::BuildCounter()
                         .Name("smsflow_consent_ledger_events_applied_total")
                         .Help("Ledger events folded into the consent view, by action")
                         .Register(registry)),
      confirmations(prometheus::BuildCounter()
                        .Name("smsflow_consent_confirmations_total")
                        .Help("Confirmation replies by family and outcome (sent, suppressed)")
                        .Register(registry)),
      check_decisions(prometheus::BuildCounter()
                          .Name("smsflow_consent_check_decisions_total")
                          .Help("CheckConsent answers by rpc, outcome and reason")
                          .Register(registry)),
      api_events(prometheus::BuildCounter()
                     .Name("smsflow_consent_api_events_total")
                     .Help("Ledger events appended through the API, by rpc")
                     .Register(registry)),
      failures(prometheus::BuildCounter()
                   .Name("smsflow_consent_ledger_failures_total")
                   .Help("Kafka or Redis failures that made a batch retry, by operation")
                   .Register(registry)) {}

}  // namespace smsflow::consent::ledger
