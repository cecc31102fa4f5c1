#pragma once
// InboundKeywordHandler: the consent side of sms.inbound.v1 (consumer group
// smsflow-consent). For each batch: one view read (MGET) for every sender
// of the batch, PlanInbound per message, one confirmation-window claim
// pipeline, then one SendAll of every ledger event (sms.consent.v1, keyed
// tenant|recipient) and confirmation (sms.outbound.requested.v1, keyed
// tenant|to). A message is kDone only once all its records are acknowledged;
// Kafka or Redis down -> kRetry. Ids are derived from the inbound id, so a
// redelivered message republishes the same event and reply ids.
//
// Called on the consumer thread only; borrows everything it is given, which
// must outlive it.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "lib/config/tenants.h"
#include "lib/consent_view/consent_view.h"
#include "lib/kafka/producer.h"
#include "lib/kafka/proto_handler.h"
#include "services/consent/ledger/confirmation_window.h"
#include "services/consent/ledger/consent_config.h"
#include "services/consent/ledger/ledger_metrics.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::consent::ledger {

struct InboundHandlerOptions {
  std::string consent_topic = "sms.consent.v1";
  std::string outbound_topic = "sms.outbound.requested.v1";
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class InboundKeywordHandler {
 public:
  InboundKeywordHandler(std::shared_ptr<const config::TenantDirectory> tenants,
                        std::shared_ptr<const ConsentConfigSet> configs, kafka::Producer& producer,
                        consentview::ConsentView& view, ConfirmationWindow& window,
                        LedgerMetrics& metrics, InboundHandlerOptions options = {});

  std::vector<kafka::Disposition> Handle(const kafka::ProtoBatch<v1::InboundMessage>& batch);

  // For kafka::Consumer: decodes records (undecodable ones are dead-lettered).
  kafka::BatchHandler AsBatchHandler();

 private:
  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::shared_ptr<const ConsentConfigSet> configs_;
  kafka::Producer& producer_;
  consentview::ConsentView& view_;
  ConfirmationWindow& window_;
  LedgerMetrics& metrics_;
  InboundHandlerOptions options_;
};

}  // namespace smsflow::consent::ledger
