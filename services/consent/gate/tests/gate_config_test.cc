// The gate's section of the policy file and the shipped example.
#include "services/consent/gate/gate_config.h"

#include <gtest/gtest.h>

namespace smsflow::consent::gate {
namespace {

TEST(GateConfigTest, ExamplePolicyFileLoads) {
  auto cfg = LoadGatePolicyFile(SMSFLOW_EXAMPLE_POLICY);
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  EXPECT_FALSE(cfg->gate.otp_requires_ledger_request);
  ASSERT_EQ(cfg->gate.frequency_caps.size(), 1u);
  EXPECT_EQ(cfg->gate.frequency_caps[0].limit, 3);
  EXPECT_EQ(cfg->policy.quiet_hours.region_windows.size(), 2u);
}

TEST(GateConfigTest, DefaultsWithoutGateSection) {
  auto cfg = ParseGatePolicyYaml("consent: {implied_window_hours: 12}\n");
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  EXPECT_EQ(cfg->policy.consent.implied_window, absl::Hours(12));
  EXPECT_EQ(cfg->gate.frequency_caps.size(), 1u);
  EXPECT_EQ(cfg->gate.default_validity, absl::Hours(72));
  ASSERT_TRUE(ParseGatePolicyYaml("").ok());
}

TEST(GateConfigTest, GateSettings) {
  auto cfg = ParseGatePolicyYaml(R"(
gate:
  otp_requires_ledger_request: true
  default_validity_hours: 24
  frequency_caps:
    - {name: everyone, categories: [marketing, conversational], limit: 10, window_hours: 168,
       per_subject: false}
)");
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  EXPECT_TRUE(cfg->gate.otp_requires_ledger_request);
  EXPECT_EQ(cfg->gate.default_validity, absl::Hours(24));
  ASSERT_EQ(cfg->gate.frequency_caps.size(), 1u);
  const CapRule& rule = cfg->gate.frequency_caps[0];
  EXPECT_TRUE(rule.regions.empty());
  EXPECT_EQ(rule.categories.size(), 2u);
  EXPECT_EQ(rule.window, absl::Hours(168));
  EXPECT_FALSE(rule.per_subject);
  EXPECT_TRUE(ParseGatePolicyYaml("gate: {frequency_caps: []}")->gate.frequency_caps.empty());
}

TEST(GateConfigTest, ErrorsNameTheKey) {
  auto expect_error = [](const char* yaml, const char* needle) {
    auto cfg = ParseGatePolicyYaml(yaml);
    ASSERT_FALSE(cfg.ok()) << yaml;
    EXPECT_NE(std::string(cfg.status().message()).find(needle), std::string::npos) << cfg.status();
  };
  expect_error("gate: {otp_requires_ledger: true}", "gate.otp_requires_ledger");
  expect_error("gate: {frequency_caps: [{name: a, categories: [promo]}]}",
               "gate.frequency_caps[0].categories[0]");
  expect_error("gate: {frequency_caps: [{name: a, categories: [marketing], limit: 0}]}",
               "gate.frequency_caps[0].limit");
  expect_error("gate: {frequency_caps: [{categories: [marketing]}]}",
               "gate.frequency_caps[0].name");
  expect_error(
      "gate: {frequency_caps: [{name: a, categories: [otp]}, {name: a, categories: [otp]}]}",
      "duplicate cap name");
  expect_error("quiet_hours: {default: \"25:00-08:00\"}", "quiet_hours.default");
  expect_error("gates: {}", "gates");
}

}  // namespace
}  // namespace smsflow::consent::gate
