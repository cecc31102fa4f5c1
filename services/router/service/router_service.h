#pragma once
// RouterServiceImpl: the gRPC adapter of the router. Classify and the rule
// RPCs call Router and RuleRegistry; Subscribe streams from the
// SubscriptionHub. Every request's tenant is checked against the caller's
// identity (CheckTenantAccess).
//
// Thread-safe (gRPC runs handlers concurrently). A Subscribe stream holds
// one handler thread while open; it polls for client cancellation every
// kSubscribePoll and ends with RESOURCE_EXHAUSTED when it falls behind, or
// UNAVAILABLE when the hub is closed at shutdown. Borrows everything; the
// router, registry and hub must outlive it.

#include <chrono>

#include "services/router/service/router_core.h"
#include "services/router/service/rule_registry.h"
#include "services/router/service/subscription_hub.h"
#include "smsflow/v1/router_service.grpc.pb.h"

namespace smsflow::router {

class RouterServiceImpl final : public v1::RouterService::Service {
 public:
  static constexpr std::chrono::milliseconds kSubscribePoll{200};

  RouterServiceImpl(Router& router, RuleRegistry& rules, SubscriptionHub& hub);

  grpc::Status Classify(grpc::ServerContext* context, const v1::ClassifyRequest* request,
                        v1::ClassifyResponse* response) override;
  grpc::Status PutRule(grpc::ServerContext* context, const v1::PutRuleRequest* request,
                       v1::PutRuleResponse* response) override;
  grpc::Status DeleteRule(grpc::ServerContext* context, const v1::DeleteRuleRequest* request,
                          v1::DeleteRuleResponse* response) override;
  grpc::Status ListRules(grpc::ServerContext* context, const v1::ListRulesRequest* request,
                         v1::ListRulesResponse* response) override;
  grpc::Status Subscribe(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                         grpc::ServerWriter<v1::SubscribeResponse>* writer) override;

 private:
  Router& router_;
  RuleRegistry& rules_;
  SubscriptionHub& hub_;
};

}  // namespace smsflow::router
