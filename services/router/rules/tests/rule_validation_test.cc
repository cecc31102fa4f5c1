#include "services/router/rules/rule_validation.h"

#include <gtest/gtest.h>

#include "services/router/rules/rule_set.h"
#include "services/router/rules/tests/rule_test_util.h"

namespace smsflow::router {
namespace {

using namespace testing;  // NOLINT: rule builders

std::string CompileError(std::vector<v1::RoutingRule> rules, RuleOptions options = {}) {
  auto compiled = CompiledRules::Compile(rules, std::move(options));
  if (compiled.ok()) return "ok";
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(compiled.status().message());
}

TEST(RuleValidation, BadRulesAreRejectedNamingTheRuleAndField) {
  EXPECT_EQ(CompileError({Regex("orders", "orders", "order (\\d+")}),
            "rule \"orders\": match.regex.pattern: missing ): (?i)order (\\d+");
  EXPECT_EQ(
      CompileError({Intent("hours", "store", "store_hourz")})
          .rfind("rule \"hours\": match.intent.intent: unknown intent 'store_hourz' (known: ", 0),
      0u);
  EXPECT_EQ(CompileError({Intent("hours", "store", "store_hours", 1.5f)}),
            "rule \"hours\": match.intent.min_confidence: 1.5 is not in [0, 1]");
  EXPECT_EQ(CompileError({Intent("hours", "store", "store_hours", -0.1f)}),
            "rule \"hours\": match.intent.min_confidence: -0.1 is not in [0, 1]");
  EXPECT_EQ(CompileError({Keyword("bal", "", {"bal"})}),
            "rule \"bal\": action.destination: required");
  EXPECT_EQ(CompileError({Keyword("bal", "Billing Team", {"bal"})}),
            "rule \"bal\": action.destination: 'Billing Team' must be 1-64 characters of "
            "[a-z0-9_.-]");
  EXPECT_EQ(CompileError({Keyword("bal", "billing", {"bal"}), CatchAll("bal", "inbox")}),
            "rule \"bal\": rule_id: duplicate rule id");
  EXPECT_EQ(CompileError({Rule("nomatch", "inbox")}),
            "rule \"nomatch\": match: exactly one of keyword, phrase, regex, intent, catch_all "
            "is required");
  EXPECT_EQ(CompileError({Keyword("Bad Id", "inbox", {"x"})}),
            "rule \"Bad Id\": rule_id: must be 1-64 characters of [a-z0-9_-]");
  EXPECT_EQ(CompileError({Keyword("empty", "inbox", {"hi", "?!"})}),
            "rule \"empty\": match.keyword.keywords[1]: empty after trimming whitespace and "
            "punctuation");
  auto window = CatchAll("night", "inbox");
  window.mutable_time_window()->set_start_minute(1500);
  EXPECT_EQ(CompileError({window}),
            "rule \"night\": time_window.start_minute: 1500 is not in 0..1439");
  auto number = CatchAll("num", "inbox");
  number.set_destination_number("555-0100");
  EXPECT_EQ(CompileError({number}).rfind("rule \"num\": destination_number:", 0), 0u);
}

TEST(RuleValidation, TemplateVariablesNeedASource) {
  auto rule = WithReply(Keyword("hours", "store", {"hours"}), "Open {{store_hours}}, {{name}}");
  EXPECT_EQ(CompileError({rule}),
            "rule \"hours\": action.auto_reply.template_text: variable {{store_hours}} has no "
            "value in the rule, the tenant configuration or the message variables");
  RuleOptions options;
  options.tenant_variables = {{"store_hours", "9-5"}};
  options.message_variables = {"name"};
  EXPECT_EQ(CompileError({rule}, options), "ok");
  EXPECT_EQ(CompileError({WithReply(Keyword("x", "y", {"z"}), "Hi {{first name}}")})
                .rfind("rule \"x\": action.auto_reply.template_text: bad placeholder at byte 3", 0),
            0u);
}

TEST(RuleValidation, TenantMismatch) {
  RuleOptions options;
  options.tenant_id = "acme";
  auto rule = CatchAll("all", "inbox");
  rule.set_tenant_id("other");
  EXPECT_EQ(CompileError({rule}, options), "rule \"all\": tenant_id: 'other' is not tenant 'acme'");
}

TEST(RuleValidation, SetPatterns) {
  EXPECT_EQ(SetPatternFor(Regex("r", "d", "a+")), "(?i)a+");
  EXPECT_EQ(SetPatternFor(Phrase("p", "d", {"In  Stock!", "a.b"})),
            "(?i)(?:^|[^\\pL\\pN])(in[^\\pL\\pN]+stock|a[^\\pL\\pN]+b)(?:[^\\pL\\pN]|$)");
}

}  // namespace
}  // namespace smsflow::router
