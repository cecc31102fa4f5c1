#include "services/router/rules/rules_yaml.h"

#include <gtest/gtest.h>

#include "services/router/rules/rule_set.h"

namespace smsflow::router {
namespace {

constexpr char kRules[] = R"(
rules:
  - id: balance
    priority: 10
    match: {keyword: BALANCE, aliases: [BAL, SALDO], position: first_word}
    action: {destination: billing, tags: [billing]}
  - id: stock
    match: {phrase: [in stock, back order]}
    action:
      destination: inventory
      auto_reply:
        text: "We'll check {{item}} for you"
        variables: {item: "that item"}
  - id: orders
    destination_number: "+14155550100"
    match: {regex: 'order\s*#?\d{4,}', case_sensitive: false}
    action: {destination: orders}
  - id: hours
    match: {intent: store_hours, min_confidence: 0.7}
    action: {destination: store, auto_reply: "Open {{store_hours}}"}
  - id: night
    priority: 100
    match: {catch_all: true}
    window: {start: "21:00", end: "08:00", days: [fri, Saturday], time_zone: America/New_York}
    action: {destination: overnight}
)";

std::string Error(std::string_view yaml) {
  RuleOptions options;
  options.tenant_variables = {{"store_hours", "9-5"}};
  auto rules = ParseRulesYaml(yaml, options);
  if (rules.ok()) return "ok";
  EXPECT_EQ(rules.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(rules.status().message());
}

TEST(RulesYaml, LoadsEveryMatchKind) {
  RuleOptions options;
  options.tenant_id = "acme";
  options.tenant_variables = {{"store_hours", "9-5"}};
  auto rules = ParseRulesYaml(kRules, options);
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 5u);
  const v1::RoutingRule& balance = (*rules)[0];
  EXPECT_EQ(balance.tenant_id(), "acme");
  EXPECT_EQ(balance.priority(), 10);
  EXPECT_EQ(balance.keyword().keywords_size(), 3);
  EXPECT_EQ(balance.keyword().position(), v1::KEYWORD_POSITION_FIRST_WORD);
  EXPECT_EQ((*rules)[1].phrase().phrases_size(), 2);
  EXPECT_EQ((*rules)[1].action().auto_reply().variables().at("item"), "that item");
  EXPECT_EQ((*rules)[2].destination_number(), "+14155550100");
  EXPECT_FLOAT_EQ((*rules)[3].intent().min_confidence(), 0.7f);
  const v1::TimeWindow& w = (*rules)[4].time_window();
  EXPECT_EQ(w.start_minute(), 21 * 60);
  EXPECT_EQ(w.end_minute(), 8 * 60);
  ASSERT_EQ(w.days_size(), 2);
  EXPECT_EQ(w.days(1), v1::WEEKDAY_SATURDAY);
  EXPECT_TRUE(CompiledRules::Compile(*rules, options).ok());
}

TEST(RulesYaml, ErrorsNameTheYamlPath) {
  EXPECT_EQ(Error(R"(rules:
  - id: a
    match: {keyword: x}
    action: {destination: d}
  - id: b
    match: {regex: "order (\\d+"}
    action: {destination: d})"),
            "rules[1].match.regex: missing ): (?i)order (\\d+");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {intent: nope}, action: {destination: d}}")
                .rfind("rules[0].match.intent: unknown intent 'nope'", 0),
            0u);
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {keyword: x, aliases: [y, '!!']}, action: "
                  "{destination: d}}"),
            "rules[0].match.aliases[1]: empty after trimming whitespace and punctuation");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {keyword: x}, action: {destination: d}}\n"
                  "  - {id: a, match: {keyword: y}, action: {destination: d}}"),
            "rules[1].id: duplicate rule id \"a\" (also rules[0])");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {keyword: x}, action: {destination: d}, prio: 1}"),
            "rules[0].prio: unknown key (expected one of: id, priority, description, disabled, "
            "destination_number, match, window, action)");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {keyword: x, regex: y}, action: {destination: d}}"),
            "rules[0].match: exactly one of keyword, phrase, regex, intent, catch_all is required");
  EXPECT_EQ(Error("rules:\n  - {id: a, priority: high, match: {keyword: x}, action: "
                  "{destination: d}}"),
            "rules[0].priority: 'high' is not an integer");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {catch_all: true}, action: {destination: d},\n"
                  "     window: {start: '25:00', end: '08:00'}}"),
            "rules[0].window.start: '25:00' is not a time HH:MM from 00:00 to 23:59");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {catch_all: true}, action: {destination: d},\n"
                  "     window: {start: '21:00', end: '08:00', days: [fri, funday]}}"),
            "rules[0].window.days[1]: 'funday' is not mon..sun");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {catch_all: true}, action: {destination: d},\n"
                  "     window: {start: '21:00', end: '08:00', time_zone: Nowhere/Land}}"),
            "rules[0].window.time_zone: unknown time zone 'Nowhere/Land'");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {keyword: x}, action: {auto_reply: hi}}"),
            "rules[0].action.destination: required");
  EXPECT_EQ(Error("rules:\n  - {id: a, match: {keyword: x}, action: {destination: d, "
                  "auto_reply: 'Hi {{name}}'}}"),
            "rules[0].action.auto_reply: variable {{name}} has no value in the rule, the tenant "
            "configuration or the message variables");
  EXPECT_EQ(Error("rules: [unclosed").rfind("rules YAML: ", 0), 0u);
  EXPECT_EQ(Error("rulez: []"), "rulez: unknown key (expected one of: rules)");
}

TEST(RulesYaml, MissingFile) {
  EXPECT_EQ(LoadRulesYamlFile("/nonexistent/rules.yaml", {}).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace smsflow::router
