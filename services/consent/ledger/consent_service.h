#pragma once
// ConsentServiceImpl: the gRPC adapter of the consent ledger.
//
//   CheckConsent / CheckConsentBatch  read the ConsentView (one MGET per call)
//                                     and decide with the policy's rules
//   GrantConsent / RevokeConsent      validate, publish the ConsentEvent to
//                                     sms.consent.v1 (keyed tenant|recipient),
//                                     answer after the broker ack, with the
//                                     state once the applier folded it in (or,
//                                     after apply_wait, the state predicted by
//                                     folding the event over the view's)
//   ListConsentHistory                pages of ConsentHistory
//   ExportConsent                     SCAN of the tenant's view keys, streamed
//                                     1,000 states per message
//
// Every RPC checks the caller's tenant access first. Thread-safe (gRPC calls
// handlers concurrently); borrows everything, which must outlive it.

#include <functional>
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "lib/config/tenants.h"
#include "lib/consent_view/consent_view.h"
#include "lib/kafka/producer.h"
#include "lib/redis/client.h"
#include "services/consent/ledger/consent_config.h"
#include "services/consent/ledger/consent_history.h"
#include "services/consent/ledger/ledger_metrics.h"
#include "smsflow/v1/consent_service.grpc.pb.h"

namespace smsflow::consent::ledger {

struct ConsentServiceOptions {
  std::string consent_topic = "sms.consent.v1";
  std::string outbound_topic = "sms.outbound.requested.v1";
  // How long Grant/Revoke wait for the view to reflect their event.
  absl::Duration apply_wait = absl::Seconds(2);
  int max_batch = 10000;
  std::string idempotency_prefix = "smsflow:consent-api-idem:";
  absl::Duration idempotency_ttl = absl::Hours(24);
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

class ConsentServiceImpl final : public v1::ConsentService::Service {
 public:
  ConsentServiceImpl(std::shared_ptr<const config::TenantDirectory> tenants,
                     std::shared_ptr<const ConsentConfigSet> configs, redis::Pool& pool,
                     consentview::ConsentView& view, ConsentHistory& history,
                     kafka::Producer& producer, LedgerMetrics& metrics,
                     ConsentServiceOptions options = {});

  grpc::Status CheckConsent(grpc::ServerContext* context, const v1::CheckConsentRequest* request,
                            v1::CheckConsentResponse* response) override;
  grpc::Status CheckConsentBatch(grpc::ServerContext* context,
                                 const v1::CheckConsentBatchRequest* request,
                                 v1::CheckConsentBatchResponse* response) override;
  grpc::Status GrantConsent(grpc::ServerContext* context, const v1::GrantConsentRequest* request,
                            v1::GrantConsentResponse* response) override;
  grpc::Status RevokeConsent(grpc::ServerContext* context, const v1::RevokeConsentRequest* request,
                             v1::RevokeConsentResponse* response) override;
  grpc::Status ListConsentHistory(grpc::ServerContext* context,
                                  const v1::ListConsentHistoryRequest* request,
                                  v1::ListConsentHistoryResponse* response) override;
  grpc::Status ExportConsent(grpc::ServerContext* context, const v1::ExportConsentRequest* request,
                             grpc::ServerWriter<v1::ExportConsentResponse>* writer) override;

 private:
  // What Grant and Revoke have in common once validated.
  struct Append {
    std::string rpc;
    std::string tenant_id;
    std::string idempotency_key;
    std::vector<v1::ConsentEvent> events;  // the first is the one answered
    std::string confirmation_body;         // empty: no confirmation
  };
  absl::Status Publish(Append& append, v1::ConsentEvent* event, v1::ConsentState* state);
  absl::Duration ImpliedWindow(const std::string& tenant_id) const;

  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::shared_ptr<const ConsentConfigSet> configs_;
  redis::Pool& pool_;
  consentview::ConsentView& view_;
  ConsentHistory& history_;
  kafka::Producer& producer_;
  LedgerMetrics& metrics_;
  ConsentServiceOptions options_;
  std::string view_prefix_;
};

}  // namespace smsflow::consent::ledger
