#include "services/router/rules/rule_set.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "services/router/rules/tests/rule_test_util.h"

namespace smsflow::router {
namespace {

using namespace testing;  // NOLINT: rule builders

std::shared_ptr<const CompiledRules> MustCompile(std::vector<v1::RoutingRule> rules,
                                                 RuleOptions options = {}) {
  auto compiled = CompiledRules::Compile(rules, std::move(options));
  EXPECT_TRUE(compiled.ok()) << compiled.status();
  return compiled.ok() ? *compiled : nullptr;
}

MatchResult MatchText(const CompiledRules& rules, std::string_view text,
                      std::string_view number = "") {
  MatchInput in;
  in.text = text;
  in.destination_number = number;
  return rules.Match(in);
}

TEST(CompiledRules, KeywordPositionsAndAliases) {
  auto rules = MustCompile({
      Keyword("balance", "billing", {"BALANCE", "BAL", "Saldo"}),
      Keyword("hours", "store", {"HOURS"}, v1::KEYWORD_POSITION_FIRST_WORD),
      Keyword("gift", "misc", {"gift card"}, v1::KEYWORD_POSITION_FIRST_WORD),
  });
  MatchResult r = MatchText(*rules, "  bal!! ");
  EXPECT_EQ(r.rule_id, "balance");
  EXPECT_EQ(r.match_kind, v1::MATCH_KIND_KEYWORD);
  EXPECT_EQ(r.matched_text, "BAL");
  EXPECT_EQ(MatchText(*rules, "saldo").rule_id, "balance");
  // Whole-message keywords do not match inside a sentence.
  EXPECT_EQ(MatchText(*rules, "balance please").match_kind, v1::MATCH_KIND_DEFAULT);
  EXPECT_EQ(MatchText(*rules, "Hours, please?").rule_id, "hours");
  EXPECT_EQ(MatchText(*rules, "hours").rule_id, "hours");
  EXPECT_EQ(MatchText(*rules, "what are your hours").match_kind, v1::MATCH_KIND_DEFAULT);
  EXPECT_EQ(MatchText(*rules, "Gift card balance?").rule_id, "gift");
  EXPECT_EQ(MatchText(*rules, "gift").match_kind, v1::MATCH_KIND_DEFAULT);
}

TEST(CompiledRules, PriorityThenSpecificityThenId) {
  auto rules = MustCompile({
      CatchAll("z-late", "late", 100),
      Keyword("b-wide", "wide", {"hours"}, v1::KEYWORD_POSITION_WHOLE_MESSAGE, 5),
      [] {
        auto r = Keyword("c-number", "number", {"hours"}, v1::KEYWORD_POSITION_WHOLE_MESSAGE, 5);
        r.set_destination_number("+14155550100");
        return r;
      }(),
      Keyword("a-wide", "wide-a", {"hours"}, v1::KEYWORD_POSITION_WHOLE_MESSAGE, 5),
      Regex("early", "early", "^hours$", 1),
  });
  // Lower priority first, whatever the kind.
  EXPECT_EQ(MatchText(*rules, "hours", "+14155550100").rule_id, "early");
  auto no_early = MustCompile({
      Keyword("b-wide", "wide", {"hours"}, v1::KEYWORD_POSITION_WHOLE_MESSAGE, 5),
      [] {
        auto r = Keyword("c-number", "number", {"hours"}, v1::KEYWORD_POSITION_WHOLE_MESSAGE, 5);
        r.set_destination_number("+14155550100");
        return r;
      }(),
      Keyword("a-wide", "wide-a", {"hours"}, v1::KEYWORD_POSITION_WHOLE_MESSAGE, 5),
  });
  // Same priority: the number-specific rule first, although its id sorts last.
  EXPECT_EQ(MatchText(*no_early, "hours", "+14155550100").rule_id, "c-number");
  // Another number: the specific rule does not apply; then rule_id decides.
  EXPECT_EQ(MatchText(*no_early, "hours", "+14155550199").rule_id, "a-wide");
  EXPECT_EQ(MatchText(*no_early, "hours").rule_id, "a-wide");
  ASSERT_EQ(no_early->rules().size(), 3u);
  EXPECT_EQ(no_early->rules()[0].id, "c-number");
  EXPECT_EQ(no_early->rules()[1].id, "a-wide");
}

TEST(CompiledRules, RegexSetOnRawTextAndCaseSensitivity) {
  auto sensitive = Regex("code", "codes", "\\bSKU-[0-9]+");
  sensitive.mutable_regex()->set_case_sensitive(true);
  auto rules = MustCompile({
      Regex("order", "orders", "(?:order|ord)\\s*#\\s*(\\d{4,})", 1),
      sensitive,
      CatchAll("rest", "inbox", 10),
  });
  MatchResult r = MatchText(*rules, "Where is ORDER #48213??");
  EXPECT_EQ(r.rule_id, "order");
  EXPECT_EQ(r.match_kind, v1::MATCH_KIND_REGEX);
  EXPECT_EQ(r.matched_text, "ORDER #48213");
  EXPECT_EQ(MatchText(*rules, "price of SKU-991").rule_id, "code");
  EXPECT_EQ(MatchText(*rules, "price of sku-991").rule_id, "rest");
}

TEST(CompiledRules, PhrasesMatchWholeWordsIgnoringCaseAndPunctuation) {
  auto rules = MustCompile({Phrase("stock", "inventory", {"in stock", "back-order"})});
  MatchResult r = MatchText(*rules, "Do you have the XS blue denim shirt IN   STOCK?");
  EXPECT_EQ(r.rule_id, "stock");
  EXPECT_EQ(r.match_kind, v1::MATCH_KIND_PHRASE);
  EXPECT_EQ(r.matched_text, "IN   STOCK");
  EXPECT_EQ(MatchText(*rules, "is it on back order").rule_id, "stock");
  EXPECT_EQ(MatchText(*rules, "in-stock?").rule_id, "stock");
  EXPECT_EQ(MatchText(*rules, "within stockholm").match_kind, v1::MATCH_KIND_DEFAULT);
}

TEST(CompiledRules, IntentWithMinimumConfidence) {
  RuleOptions options;
  options.default_min_confidence = 0.6f;
  auto rules = MustCompile(
      {Intent("hours", "store", "store_hours", 0.8f), Intent("orders", "orders", "order_status")},
      options);
  MatchInput in;
  in.text = "when do u open";
  in.intent = IntentPrediction{"store_hours", 0.85f};
  MatchResult r = rules->Match(in);
  EXPECT_EQ(r.rule_id, "hours");
  EXPECT_EQ(r.match_kind, v1::MATCH_KIND_INTENT);
  EXPECT_EQ(r.matched_text, "");
  in.intent = IntentPrediction{"store_hours", 0.79f};
  EXPECT_EQ(rules->Match(in).match_kind, v1::MATCH_KIND_DEFAULT);
  in.intent = IntentPrediction{"order_status", 0.61f};  // default threshold 0.6
  EXPECT_EQ(rules->Match(in).rule_id, "orders");
  in.intent = IntentPrediction{"order_status", 0.59f};
  EXPECT_EQ(rules->Match(in).match_kind, v1::MATCH_KIND_DEFAULT);
  EXPECT_EQ(rules->Match(in).destination, "default");
}

TEST(CompiledRules, TimeWindowCrossingMidnight) {
  RuleOptions options;
  ASSERT_TRUE(absl::LoadTimeZone("America/Chicago", &options.time_zone));
  auto after_hours = CatchAll("after-hours", "overnight", 1);
  after_hours.mutable_time_window()->set_start_minute(21 * 60);
  after_hours.mutable_time_window()->set_end_minute(8 * 60);
  auto rules = MustCompile({after_hours, CatchAll("day", "desk", 2)}, options);
  MatchInput in;
  in.text = "anyone there?";
  const auto at = [&](int d, int h) {
    return absl::FromCivil(absl::CivilHour(2024, 6, d, h), options.time_zone);
  };
  in.time = at(3, 23);
  EXPECT_EQ(rules->Match(in).rule_id, "after-hours");
  in.time = at(4, 7);
  EXPECT_EQ(rules->Match(in).rule_id, "after-hours");
  in.time = at(4, 8);
  EXPECT_EQ(rules->Match(in).rule_id, "day");
  in.time = at(4, 20);
  EXPECT_EQ(rules->Match(in).rule_id, "day");
}

TEST(CompiledRules, DisabledRulesNeverMatch) {
  auto off = Keyword("off", "x", {"hi"});
  off.set_disabled(true);
  auto rules = MustCompile({off, CatchAll("rest", "inbox", 9)});
  EXPECT_EQ(MatchText(*rules, "hi").rule_id, "rest");
}

TEST(CompiledRules, ComplianceKeywordsAreRoutedButNeverAutoAnswered) {
  auto rules = MustCompile({
      WithReply(Keyword("stop-rule", "retention", {"STOP"}), "Sorry to see you go!"),
      WithReply(Keyword("yes-rule", "appointments", {"YES", "C"}), "Thanks, see you soon"),
      WithReply(CatchAll("everything", "inbox", 100), "Thanks for your message"),
  });
  // A rule that names the keyword routes it, but its reply is suppressed.
  MatchResult stop = MatchText(*rules, "Stop!");
  EXPECT_EQ(stop.rule_id, "stop-rule");
  EXPECT_EQ(stop.destination, "retention");
  EXPECT_TRUE(stop.compliance_keyword);
  EXPECT_EQ(stop.keyword_family, v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(stop.auto_reply, nullptr);
  EXPECT_EQ(*rules->RenderAutoReply(stop, {}), std::nullopt);
  MatchResult yes = MatchText(*rules, "YES");
  EXPECT_EQ(yes.destination, "appointments");
  EXPECT_EQ(yes.keyword_family, v1::KEYWORD_FAMILY_OPT_IN);
  EXPECT_EQ(yes.auto_reply, nullptr);
  // Catch-alls do not claim compliance messages: they go to "compliance".
  for (const char* text : {"HELP", "unsubscribe", "stop all", "OPT OUT"}) {
    MatchResult r = MatchText(*rules, text);
    EXPECT_TRUE(r.compliance_keyword) << text;
    EXPECT_EQ(r.match_kind, v1::MATCH_KIND_DEFAULT) << text;
    EXPECT_EQ(r.destination, "compliance") << text;
    EXPECT_EQ(r.auto_reply, nullptr) << text;
  }
  // An ordinary message gets the catch-all reply.
  MatchResult hello = MatchText(*rules, "hello");
  ASSERT_NE(hello.auto_reply, nullptr);
  EXPECT_EQ(**rules->RenderAutoReply(hello, {}), "Thanks for your message");
  EXPECT_EQ(*rules->RenderAutoReply(MatchText(*rules, "C"), {}), "Thanks, see you soon");
}

TEST(CompiledRules, PlainLanguageOptOutByIntentIsCompliance) {
  auto rules = MustCompile({
      WithReply(Intent("leavers", "retention", "opt_out", 0.5f), "We will miss you"),
      WithReply(CatchAll("everything", "inbox", 100), "Thanks"),
  });
  MatchInput in;
  in.text = "please take me off your list";
  in.intent = IntentPrediction{"opt_out", 0.93f};
  MatchResult r = rules->Match(in);
  EXPECT_EQ(r.rule_id, "leavers");
  EXPECT_TRUE(r.compliance_keyword);
  EXPECT_EQ(r.keyword_family, v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(r.auto_reply, nullptr);
  // A text the shared keyword classifier does not take for an opt-out is
  // flagged by a confident model only: below the compliance threshold (0.7)
  // the rule's reply stays.
  in.text = "ugh, this again";
  in.intent = IntentPrediction{"opt_out", 0.93f};
  EXPECT_TRUE(rules->Match(in).compliance_keyword);
  in.intent = IntentPrediction{"opt_out", 0.6f};
  r = rules->Match(in);
  EXPECT_FALSE(r.compliance_keyword);
  EXPECT_NE(r.auto_reply, nullptr);
}

TEST(CompiledRules, RendersRepliesFromMessageRuleAndTenantValues) {
  RuleOptions options;
  options.tenant_variables = {{"store_hours", "9am-5pm"}};
  options.message_variables = {"first_name"};
  auto rule = WithReply(Keyword("hours", "store", {"hours"}),
                        "Hi {{first_name}}, we are open {{store_hours}} {{day}}");
  (*rule.mutable_action()->mutable_auto_reply()->mutable_variables())["day"] = "Mon-Fri";
  auto rules = MustCompile({rule}, options);
  MatchResult r = MatchText(*rules, "HOURS");
  EXPECT_EQ(**rules->RenderAutoReply(r, {{"first_name", "Ana"}}),
            "Hi Ana, we are open 9am-5pm Mon-Fri");
  // A message variable the router failed to supply is a render-time error.
  EXPECT_EQ(rules->RenderAutoReply(r, {}).status().code(), absl::StatusCode::kNotFound);
}

TEST(CompiledRules, ClassificationProto) {
  auto rule = Keyword("bal", "billing", {"bal"});
  rule.mutable_action()->add_tags("billing");
  auto rules = MustCompile({rule});
  v1::Classification c;
  MatchText(*rules, "BAL").ToProto(&c);
  EXPECT_EQ(c.rule_id(), "bal");
  EXPECT_EQ(c.destination(), "billing");
  EXPECT_EQ(c.match_kind(), v1::MATCH_KIND_KEYWORD);
  ASSERT_EQ(c.tags_size(), 1);
  EXPECT_EQ(c.matched_text(), "bal");
}

}  // namespace
}  // namespace smsflow::router
