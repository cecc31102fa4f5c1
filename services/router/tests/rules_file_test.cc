#include "services/router/service/rules_file.h"

#include <gtest/gtest.h>

namespace smsflow::router {
namespace {

TEST(RulesFileTest, ParsesTenantsWithVariablesAndRules) {
  auto parsed = ParseRouterRulesYaml(R"(
tenants:
  acme:
    time_zone: America/New_York
    default_destination: inbox
    variables: {store_hours: "9am-5pm"}
    rules:
      - id: hours
        match: {keyword: HOURS}
        action: {destination: store, auto_reply: "We are open {{store_hours}}"}
  globex: {}
)",
                                     RuleOptions{}, nullptr);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  const TenantRulesConfig& acme = parsed->at("acme");
  EXPECT_EQ(acme.options.tenant_id, "acme");
  EXPECT_EQ(acme.options.default_destination, "inbox");
  EXPECT_EQ(acme.options.tenant_variables.at("store_hours"), "9am-5pm");
  EXPECT_EQ(acme.options.time_zone.name(), "America/New_York");
  ASSERT_EQ(acme.rules.size(), 1u);
  EXPECT_EQ(acme.rules[0].tenant_id(), "acme");
  EXPECT_TRUE(parsed->at("globex").rules.empty());
}

TEST(RulesFileTest, ErrorsNameThePath) {
  auto bad_key = ParseRouterRulesYaml("tenants: {acme: {colour: red}}", RuleOptions{}, nullptr);
  EXPECT_EQ(bad_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad_key.status().message()).find("tenants.acme.colour"), std::string::npos)
      << bad_key.status();

  auto bad_rule = ParseRouterRulesYaml(R"(
tenants:
  acme:
    rules:
      - id: broken
        match: {regex: "(abc"}
        action: {destination: x}
)",
                                       RuleOptions{}, nullptr);
  ASSERT_FALSE(bad_rule.ok());
  EXPECT_NE(std::string(bad_rule.status().message()).find("tenants.acme.rules"), std::string::npos)
      << bad_rule.status();

  auto missing_variable = ParseRouterRulesYaml(R"(
tenants:
  acme:
    rules:
      - id: hours
        match: {keyword: HOURS}
        action: {destination: store, auto_reply: "Open {{store_hours}}"}
)",
                                               RuleOptions{}, nullptr);
  EXPECT_FALSE(missing_variable.ok());

  auto bad_dest =
      ParseRouterRulesYaml("tenants: {acme: {default_destination: 'Bad Name'}}", {}, nullptr);
  EXPECT_NE(std::string(bad_dest.status().message()).find("default_destination"),
            std::string::npos);
}

TEST(RulesFileTest, EmptyDocumentHasNoTenants) {
  auto parsed = ParseRouterRulesYaml("", RuleOptions{}, nullptr);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(RulesFileTest, DestinationNames) {
  EXPECT_TRUE(IsDestinationName("billing.queue-1_a"));
  EXPECT_FALSE(IsDestinationName(""));
  EXPECT_FALSE(IsDestinationName("Billing"));
  EXPECT_FALSE(IsDestinationName(std::string(65, 'a')));
}

}  // namespace
}  // namespace smsflow::router
