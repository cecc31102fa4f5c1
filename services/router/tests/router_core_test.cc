// Router and RuleRegistry without Kafka or Redis: the decision, the records,
// and rule validation (the registry runs with no store: file rules only).
#include "services/router/service/router_core.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"

namespace smsflow::router {
namespace {

constexpr char kRules[] = R"(
tenants:
  acme:
    variables: {store_hours: "9am-5pm"}
    rules:
      - id: hours
        match: {keyword: HOURS, aliases: [OPEN]}
        action: {destination: store, auto_reply: "We are open {{store_hours}}", tags: [hours]}
      - id: stop-rule
        match: {keyword: STOP}
        action: {destination: optouts, auto_reply: "Bye"}
      - id: greet
        match: {keyword: HI}
        action: {destination: front, auto_reply: "Hi {{first_name}}"}
)";

class RouterCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RuleOptions base;
    base.message_variables = {"first_name"};  // declared, never filled: render fails
    auto file = ParseRouterRulesYaml(kRules, base, nullptr);
    ASSERT_TRUE(file.ok()) << file.status();
    registry_ = std::make_unique<RuleRegistry>(base, nullptr, std::move(*file), nullptr, metrics_);
    ASSERT_TRUE(registry_->LoadAll().ok());
    auto model = IntentModel::Load(SMSFLOW_INTENT_MODEL);
    ASSERT_TRUE(model.ok()) << model.status();
    router_ = std::make_unique<Router>(*registry_, *model, metrics_);
  }

  static v1::InboundMessage Inbound(const std::string& body, const std::string& tenant = "acme") {
    v1::InboundMessage m;
    m.set_message_id(sms::NewMessageId());
    m.set_tenant_id(tenant);
    m.set_sender_scope("main");
    m.set_from("+14155550123");
    m.set_to("+14155550100");
    m.set_body(body);
    return m;
  }

  prometheus::Registry prom_;
  RouterMetrics metrics_{prom_};
  std::unique_ptr<RuleRegistry> registry_;
  std::unique_ptr<Router> router_;
};

TEST_F(RouterCoreTest, KeywordRuleRoutesAndRequestsAConversationalReply) {
  const v1::InboundMessage in = Inbound("hours?");
  auto result = router_->Route(in, absl::Now());
  ASSERT_TRUE(result.ok()) << result.status();
  const v1::Classification& c = result->routed.classification();
  EXPECT_EQ(c.destination(), "store");
  EXPECT_EQ(c.rule_id(), "hours");
  EXPECT_EQ(c.match_kind(), v1::MATCH_KIND_KEYWORD);
  EXPECT_FALSE(c.intent().empty());
  ASSERT_TRUE(result->reply.has_value());
  const v1::OutboundRequest& r = *result->reply;
  EXPECT_EQ(r.body(), "We are open 9am-5pm");
  EXPECT_EQ(r.category(), v1::CATEGORY_CONVERSATIONAL);
  EXPECT_EQ(r.origin(), v1::OUTBOUND_ORIGIN_ROUTER_AUTO_REPLY);
  EXPECT_EQ(r.inbound_message_id(), in.message_id());
  EXPECT_EQ(r.from(), in.to());
  EXPECT_EQ(r.to(), in.from());
  EXPECT_EQ(r.sender_scope(), "main");
  EXPECT_EQ(r.encoding(), v1::ENCODING_GSM7);
  EXPECT_EQ(r.segments(), 1);
  EXPECT_TRUE(r.has_expire_time());
  EXPECT_TRUE(sms::IsMessageId(r.message_id()));
  EXPECT_EQ(result->routed.auto_reply_message_id(), r.message_id());

  // Redelivery: the same inbound gives the same reply id.
  auto again = router_->Route(in, absl::Now());
  EXPECT_EQ(again->reply->message_id(), r.message_id());
}

TEST_F(RouterCoreTest, RecordsAreKeyedByConversationAndTyped) {
  auto result = router_->Route(Inbound("open"), absl::Now());
  auto records = Router::ToRecords(*result);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].topic, kafka::topics::kRouted);
  EXPECT_EQ(records[0].key, "acme|+14155550123");
  EXPECT_EQ(records[1].topic, kafka::topics::kOutboundRequested);
  EXPECT_EQ(records[1].key, "acme|+14155550123");
  EXPECT_EQ(records[0].headers[0].value, "smsflow.v1.RoutedMessage");
  EXPECT_EQ(records[1].headers[0].value, "smsflow.v1.OutboundRequest");
}

TEST_F(RouterCoreTest, ComplianceKeywordIsRoutedButNeverAnswered) {
  for (const char* body : {"STOP", " stop! ", "Unsubscribe"}) {
    auto result = router_->Route(Inbound(body), absl::Now());
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result->routed.classification().compliance_keyword()) << body;
    EXPECT_FALSE(result->reply.has_value()) << body;
    EXPECT_TRUE(result->routed.auto_reply_message_id().empty());
  }
  auto stop = router_->Route(Inbound("STOP"), absl::Now());
  EXPECT_EQ(stop->routed.classification().destination(), "optouts");
  auto other = router_->Route(Inbound("UNSUBSCRIBE"), absl::Now());
  EXPECT_EQ(other->routed.classification().destination(), "compliance");
}

TEST_F(RouterCoreTest, MissingVariableSkipsTheReplyButRoutes) {
  auto result = router_->Route(Inbound("hi"), absl::Now());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->routed.classification().destination(), "front");
  EXPECT_FALSE(result->reply.has_value());
  EXPECT_EQ(result->reply_outcome, "skipped_missing_variable");
}

TEST_F(RouterCoreTest, UnknownTenantGoesToTheDefaultDestination) {
  auto result = router_->Route(Inbound("hours", "initech"), absl::Now());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->routed.classification().destination(), "default");
  EXPECT_EQ(result->routed.classification().match_kind(), v1::MATCH_KIND_DEFAULT);
  EXPECT_FALSE(result->reply.has_value());
}

TEST_F(RouterCoreTest, UnroutableRecordsNameTheField) {
  v1::InboundMessage m = Inbound("hours");
  m.set_message_id("42");
  EXPECT_NE(std::string(router_->Route(m, absl::Now()).status().message()).find("message_id"),
            std::string::npos);
  m = Inbound("hours");
  m.clear_tenant_id();
  EXPECT_EQ(router_->Route(m, absl::Now()).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(RouterCoreTest, ClassifyReportsTopIntents) {
  Decision d = router_->Classify("acme", "", "what time do you open on saturday", absl::Now(), 5);
  EXPECT_FALSE(d.top_intents.empty());
  EXPECT_LE(d.top_intents.size(), 5u);
  EXPECT_EQ(d.classification.intent(), d.top_intents[0].intent);
}

TEST_F(RouterCoreTest, RegistryValidatesRulesAndNamesThem) {
  v1::RoutingRule rule;
  rule.set_rule_id("bad-regex");
  rule.set_tenant_id("acme");
  rule.mutable_regex()->set_pattern("(unclosed");
  rule.mutable_action()->set_destination("x");
  auto put = registry_->Put(rule, /*validate_only=*/true, absl::Now());
  EXPECT_EQ(put.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(put.status().message()).find("bad-regex"), std::string::npos);

  rule.set_rule_id("bad-intent");
  rule.mutable_intent()->set_intent("weather");
  put = registry_->Put(rule, true, absl::Now());
  EXPECT_NE(std::string(put.status().message()).find("bad-intent"), std::string::npos);

  rule.set_rule_id("ok");
  rule.mutable_keyword()->add_keywords("BAL");
  put = registry_->Put(rule, true, absl::Now());
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_TRUE(put->created);
  EXPECT_TRUE(put->rule.has_create_time());
  // Without a store nothing can be changed for real.
  EXPECT_EQ(registry_->Put(rule, false, absl::Now()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(EvaluationOrderTest, PriorityThenSpecificityThenId) {
  v1::RoutingRule a, b, c, d;
  a.set_rule_id("a");
  a.set_priority(5);
  b.set_rule_id("b");
  b.set_priority(1);
  c.set_rule_id("c");
  c.set_priority(1);
  c.set_destination_number("+14155550100");
  d.set_rule_id("a2");
  d.set_priority(5);
  std::vector<v1::RoutingRule> rules = {a, b, c, d};
  std::sort(rules.begin(), rules.end(), EvaluatedBefore);
  EXPECT_EQ(rules[0].rule_id(), "c");
  EXPECT_EQ(rules[1].rule_id(), "b");
  EXPECT_EQ(rules[2].rule_id(), "a");
  EXPECT_EQ(rules[3].rule_id(), "a2");
}

}  // namespace
}  // namespace smsflow::router
