// PutRule/DeleteRule/ListRules/Classify through gRPC, persisted in Redis.
#include "services/router/tests/router_fixture.h"

namespace smsflow::router {
namespace {

class RulesApiTest : public RouterFixture {
 protected:
  static v1::RoutingRule KeywordRule(const std::string& id, const std::string& keyword,
                                     const std::string& destination) {
    v1::RoutingRule rule;
    rule.set_rule_id(id);
    rule.set_tenant_id("acme");
    rule.mutable_keyword()->add_keywords(keyword);
    rule.mutable_action()->set_destination(destination);
    return rule;
  }
  grpc::Status Put(RouterInstance& r, const v1::RoutingRule& rule,
                   v1::PutRuleResponse* response = nullptr) {
    grpc::ClientContext ctx;
    v1::PutRuleRequest req;
    *req.mutable_rule() = rule;
    v1::PutRuleResponse ignored;
    return r.stub->PutRule(&ctx, req, response != nullptr ? response : &ignored);
  }
  std::string ClassifyDestination(RouterInstance& r, const std::string& body) {
    grpc::ClientContext ctx;
    v1::ClassifyRequest req;
    req.set_tenant_id("acme");
    req.set_body(body);
    v1::ClassifyResponse resp;
    auto st = r.stub->Classify(&ctx, req, &resp);
    return st.ok() ? resp.classification().destination() : "error: " + st.error_message();
  }
  std::vector<std::string> ListIds(RouterInstance& r) {
    grpc::ClientContext ctx;
    v1::ListRulesRequest req;
    req.set_tenant_id("acme");
    v1::ListRulesResponse resp;
    EXPECT_TRUE(r.stub->ListRules(&ctx, req, &resp).ok());
    std::vector<std::string> ids;
    for (const auto& rule : resp.rules()) ids.push_back(rule.rule_id());
    return ids;
  }
};

TEST_F(RulesApiTest, PutRuleAppliesToTheNextMessageAndAfterARestart) {
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  v1::PutRuleResponse put;
  ASSERT_TRUE(Put(*router_, KeywordRule("pizza", "PIZZA", "food"), &put).ok());
  EXPECT_TRUE(put.created());
  EXPECT_TRUE(put.rule().has_create_time());
  const v1::InboundMessage first = Inbound("pizza");
  Send(first);
  auto r = WaitRouted(routed, first.message_id());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->classification().destination(), "food");
  EXPECT_EQ(r->classification().rule_id(), "pizza");

  Restart();  // a new router on the same Redis and Kafka
  auto ids = ListIds(*router_);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "pizza"), ids.end());
  const v1::InboundMessage second = Inbound("PIZZA!");
  Send(second);
  r = WaitRouted(routed, second.message_id());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->classification().destination(), "food");
}

TEST_F(RulesApiTest, ReplacingKeepsCreateTimeAndReportsNotCreated) {
  v1::PutRuleResponse first, second;
  ASSERT_TRUE(Put(*router_, KeywordRule("pizza", "PIZZA", "food"), &first).ok());
  ASSERT_TRUE(Put(*router_, KeywordRule("pizza", "PIZZA", "kitchen"), &second).ok());
  EXPECT_FALSE(second.created());
  EXPECT_EQ(second.rule().create_time().seconds(), first.rule().create_time().seconds());
  EXPECT_EQ(ClassifyDestination(*router_, "pizza"), "kitchen");
}

TEST_F(RulesApiTest, BadRulesAreInvalidArgumentNamingTheRule) {
  v1::RoutingRule bad_regex = KeywordRule("bad-regex", "X", "x");
  bad_regex.mutable_regex()->set_pattern("(unclosed");
  v1::RoutingRule bad_intent = KeywordRule("bad-intent", "X", "x");
  bad_intent.mutable_intent()->set_intent("weather_forecast");
  v1::RoutingRule no_destination = KeywordRule("no-destination", "X", "");
  v1::RoutingRule no_match = KeywordRule("no-match", "X", "x");
  no_match.clear_keyword();
  for (const auto& rule : {bad_regex, bad_intent, no_destination, no_match}) {
    grpc::Status st = Put(*router_, rule);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << rule.rule_id();
    EXPECT_NE(st.error_message().find(rule.rule_id()), std::string::npos) << st.error_message();
  }
  v1::RoutingRule foreign_number = KeywordRule("foreign", "X", "x");
  foreign_number.set_destination_number("+13125550100");  // globex's
  grpc::Status st = Put(*router_, foreign_number);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("destination_number"), std::string::npos);
  // Nothing was stored.
  EXPECT_EQ(ListIds(*router_).size(), 4u);
}

TEST_F(RulesApiTest, DeleteHidesAFileRuleAcrossRestarts) {
  EXPECT_EQ(ClassifyDestination(*router_, "balance"), "billing");
  grpc::ClientContext ctx;
  v1::DeleteRuleRequest req;
  req.set_tenant_id("acme");
  req.set_rule_id("balance");
  v1::DeleteRuleResponse resp;
  ASSERT_TRUE(router_->stub->DeleteRule(&ctx, req, &resp).ok());
  EXPECT_EQ(ClassifyDestination(*router_, "balance"), "default");
  grpc::ClientContext again;
  EXPECT_EQ(router_->stub->DeleteRule(&again, req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  Restart();
  EXPECT_EQ(ClassifyDestination(*router_, "balance"), "default");
}

TEST_F(RulesApiTest, AChangeOnOneReplicaReachesTheOtherByPolling) {
  RouterInstance other(kafka_.bootstrap(), *pool_, *producer_, tenants_,
                       {.poll = std::chrono::milliseconds(100)});
  ASSERT_EQ(ClassifyDestination(other, "pizza"), "default");
  ASSERT_TRUE(Put(*router_, KeywordRule("pizza", "PIZZA", "food")).ok());
  EXPECT_TRUE(testing::WaitFor([&] { return ClassifyDestination(other, "pizza") == "food"; },
                               std::chrono::seconds(10)));
}

TEST_F(RulesApiTest, ListRulesPagesInEvaluationOrder) {
  v1::RoutingRule early = KeywordRule("early", "EARLY", "x");
  early.set_priority(-5);
  ASSERT_TRUE(Put(*router_, early).ok());
  std::vector<std::string> ids;
  std::string token;
  do {
    grpc::ClientContext ctx;
    v1::ListRulesRequest req;
    req.set_tenant_id("acme");
    req.set_page_size(2);
    req.set_page_token(token);
    v1::ListRulesResponse resp;
    ASSERT_TRUE(router_->stub->ListRules(&ctx, req, &resp).ok());
    for (const auto& r : resp.rules()) ids.push_back(r.rule_id());
    token = resp.next_page_token();
  } while (!token.empty());
  EXPECT_EQ(ids,
            (std::vector<std::string>{"early", "balance", "hours", "stop-keyword", "support"}));
}

TEST_F(RulesApiTest, ClassifyPreviewsWithoutSideEffectsAndChecksTenantAccess) {
  testing::TopicReader outbound(kafka_.bootstrap(),
                                {std::string(kafka::topics::kOutboundRequested)});
  grpc::ClientContext ctx;
  v1::ClassifyRequest req;
  req.set_tenant_id("acme");
  req.set_body("hours please");
  v1::ClassifyResponse resp;
  ASSERT_TRUE(router_->stub->Classify(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.classification().destination(), "store");
  EXPECT_EQ(resp.auto_reply_preview(), "We are open 9am-5pm");
  EXPECT_FALSE(resp.intent_scores().empty());

  grpc::ClientContext foreign;
  foreign.AddMetadata(server::kTenantMetadataKey, "globex");
  EXPECT_EQ(router_->stub->Classify(&foreign, req, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A routed message afterwards produces the only outbound request.
  const v1::InboundMessage in = Inbound("hours");
  Send(in);
  auto requests = Decode<v1::OutboundRequest>(outbound.WaitForCount(1));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].inbound_message_id(), in.message_id());
}

}  // namespace
}  // namespace smsflow::router
