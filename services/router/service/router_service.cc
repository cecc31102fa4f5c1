#include "services/router/service/router_service.h"

#include <google/protobuf/util/time_util.h>

#include <atomic>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/server/call_context.h"
#include "services/router/service/rules_file.h"

namespace smsflow::router {
namespace {

constexpr int kMaxTopIntents = 5;
constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

absl::Status Authorize(grpc::ServerContext* context, std::string_view tenant) {
  auto identity = server::IdentityOf(context);
  if (!identity.ok()) return identity.status();
  if (tenant.empty()) return absl::InvalidArgumentError("tenant_id: required");
  return server::CheckTenantAccess(*identity, tenant);
}

}  // namespace

RouterServiceImpl::RouterServiceImpl(Router& router, RuleRegistry& rules, SubscriptionHub& hub)
    : router_(router), rules_(rules), hub_(hub) {}

grpc::Status RouterServiceImpl::Classify(grpc::ServerContext* context,
                                         const v1::ClassifyRequest* request,
                                         v1::ClassifyResponse* response) {
  if (auto st = Authorize(context, request->tenant_id()); !st.ok()) return server::ToGrpc(st);
  if (request->body().empty()) {
    return server::ToGrpc(absl::InvalidArgumentError("body: required"));
  }
  const absl::Time when =
      request->has_evaluate_time()
          ? absl::FromUnixNanos(
                google::protobuf::util::TimeUtil::TimestampToNanoseconds(request->evaluate_time()))
          : absl::Now();
  Decision d =
      router_.Classify(request->tenant_id(), request->to(), request->body(), when, kMaxTopIntents);
  *response->mutable_classification() = d.classification;
  for (const IntentScore& s : d.top_intents) {
    auto* out = response->add_intent_scores();
    out->set_intent(s.intent);
    out->set_confidence(s.confidence);
  }
  if (d.reply.has_value()) response->set_auto_reply_preview(*d.reply);
  return grpc::Status::OK;
}

grpc::Status RouterServiceImpl::PutRule(grpc::ServerContext* context,
                                        const v1::PutRuleRequest* request,
                                        v1::PutRuleResponse* response) {
  if (!request->has_rule()) return server::ToGrpc(absl::InvalidArgumentError("rule: required"));
  if (auto st = Authorize(context, request->rule().tenant_id()); !st.ok()) {
    if (request->rule().tenant_id().empty()) {
      return server::ToGrpc(absl::InvalidArgumentError("rule.tenant_id: required"));
    }
    return server::ToGrpc(st);
  }
  auto outcome = rules_.Put(request->rule(), request->validate_only(), absl::Now());
  if (!outcome.ok()) return server::ToGrpc(outcome.status());
  *response->mutable_rule() = outcome->rule;
  response->set_created(outcome->created);
  return grpc::Status::OK;
}

grpc::Status RouterServiceImpl::DeleteRule(grpc::ServerContext* context,
                                           const v1::DeleteRuleRequest* request,
                                           v1::DeleteRuleResponse*) {
  if (auto st = Authorize(context, request->tenant_id()); !st.ok()) return server::ToGrpc(st);
  if (request->rule_id().empty()) {
    return server::ToGrpc(absl::InvalidArgumentError("rule_id: required"));
  }
  return server::ToGrpc(rules_.Delete(request->tenant_id(), request->rule_id()));
}

grpc::Status RouterServiceImpl::ListRules(grpc::ServerContext* context,
                                          const v1::ListRulesRequest* request,
                                          v1::ListRulesResponse* response) {
  if (auto st = Authorize(context, request->tenant_id()); !st.ok()) return server::ToGrpc(st);
  int page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();
  if (page_size < 1 || page_size > kMaxPageSize) {
    return server::ToGrpc(absl::InvalidArgumentError(
        absl::StrCat("page_size: ", request->page_size(), " is not in 1..", kMaxPageSize)));
  }
  // The token is the position of the next rule in evaluation order; a change
  // between pages can shift it by the rules added or removed before it.
  size_t offset = 0;
  if (!request->page_token().empty() && !absl::SimpleAtoi(request->page_token(), &offset)) {
    return server::ToGrpc(absl::InvalidArgumentError("page_token: not a token from ListRules"));
  }
  const auto table = rules_.Get(request->tenant_id());
  std::vector<const v1::RoutingRule*> selected;
  for (const auto& rule : table->rules) {
    if (request->destination_number().empty() ||
        rule.destination_number() == request->destination_number()) {
      selected.push_back(&rule);
    }
  }
  for (size_t i = offset; i < selected.size() && i < offset + page_size; ++i) {
    *response->add_rules() = *selected[i];
  }
  if (offset + page_size < selected.size()) {
    response->set_next_page_token(std::to_string(offset + page_size));
  }
  return grpc::Status::OK;
}

grpc::Status RouterServiceImpl::Subscribe(grpc::ServerContext* context,
                                          const v1::SubscribeRequest* request,
                                          grpc::ServerWriter<v1::SubscribeResponse>* writer) {
  if (auto st = Authorize(context, request->tenant_id()); !st.ok()) return server::ToGrpc(st);
  if (!IsDestinationName(request->destination())) {
    return server::ToGrpc(absl::InvalidArgumentError(absl::StrCat(
        "destination: '", request->destination(), "' is not 1-64 characters of [a-z0-9_.-]")));
  }
  // While a Write is blocked the client has stopped reading entirely: it
  // cannot receive a status anyway (trailers queue behind the unread data),
  // so an overflow then cancels the call to free this handler. A client
  // that still reads gets RESOURCE_EXHAUSTED after the data it has not read.
  std::atomic<bool> writing{false};
  auto sub = hub_.Subscribe(request->tenant_id(), request->destination(), [&writing, context] {
    if (writing.load()) context->TryCancel();
  });
  struct Unsubscribe {
    SubscriptionHub& hub;
    const std::shared_ptr<Subscription>& sub;
    ~Unsubscribe() { hub.Unsubscribe(sub); }
  } unsubscribe{hub_, sub};
  // Initial metadata tells the client the stream is registered.
  writer->SendInitialMetadata();
  v1::SubscribeResponse response;
  while (!context->IsCancelled()) {
    std::shared_ptr<const v1::RoutedMessage> message;
    switch (sub->Next(kSubscribePoll, &message)) {
      case Subscription::Event::kTimeout:
        break;
      case Subscription::Event::kMessage: {
        *response.mutable_routed_message() = *message;
        writing = true;
        const bool ok = writer->Write(response);
        writing = false;
        if (!ok) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
        break;
      }
      case Subscription::Event::kOverflow:
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            "subscriber fell behind (its queue is full); reconnect, or consume "
                            "sms.routed.v1 for at-least-once delivery");
      case Subscription::Event::kClosed:
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "router is shutting down; reconnect");
    }
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled");
}

}  // namespace smsflow::router
