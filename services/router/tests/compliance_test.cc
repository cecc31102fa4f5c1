// The router decides compliance messages with the consent service's own
// classifier (lib/keywords) and the tenant's keywords, so what consent
// records as an opt-out is never auto-answered here.
#include "services/router/rules/compliance.h"

#include <gtest/gtest.h>

#include "services/router/rules/rule_set.h"
#include "services/router/rules/tests/rule_test_util.h"
#include "services/router/service/rules_file.h"

namespace smsflow::router {
namespace {

v1::RoutingRule CatchAllWithReply() {
  return testing::WithReply(testing::CatchAll("everything", "inbox", 100),
                            "Thanks! We will get back to you.");
}

// What a catch-all-with-reply rule set decides for `text`. MatchResult
// points into the rules, so the answer is copied out before they go.
struct Decision {
  v1::KeywordFamily keyword_family;
  std::string destination;
  bool auto_reply;
};

Decision MatchFor(const RuleOptions& options, std::string_view text) {
  auto rules = CompiledRules::Compile({CatchAllWithReply()}, options);
  EXPECT_TRUE(rules.ok()) << rules.status();
  MatchInput in;
  in.text = text;
  const MatchResult r = (*rules)->Match(in);
  return {r.keyword_family, std::string(r.destination), r.auto_reply != nullptr};
}

TEST(RouterCompliance, DefaultKeywordsOnTheWholeMessage) {
  const RuleOptions options;
  for (const char* w :
       {"STOP", "Stop.", " stop ", "STOP!!", "STOPALL", "unsubscribe", "Cancel", "END", "quit",
        "REVOKE", "OPTOUT", "opt out", "Stop All", "OPT-OUT", "arrêt", "TD"}) {
    EXPECT_EQ(MatchFor(options, w).keyword_family, v1::KEYWORD_FAMILY_OPT_OUT) << w;
  }
  for (const char* w : {"START", "yes", "Unstop!"}) {
    EXPECT_EQ(MatchFor(options, w).keyword_family, v1::KEYWORD_FAMILY_OPT_IN) << w;
  }
  for (const char* w : {"HELP", "info?"}) {
    EXPECT_EQ(MatchFor(options, w).keyword_family, v1::KEYWORD_FAMILY_HELP) << w;
  }
  for (const char* w : {"don't stop the reminders", "stop by later", "help me with my order"}) {
    const Decision r = MatchFor(options, w);
    EXPECT_EQ(r.keyword_family, v1::KEYWORD_FAMILY_UNSPECIFIED) << w;
    EXPECT_TRUE(r.auto_reply) << w;
  }
}

TEST(RouterCompliance, PlainLanguageOptOutsAreNeverAutoAnswered) {
  const RuleOptions options;
  // No intent prediction at all: the shared classifier alone decides.
  for (const char* w : {"please stop texting me", "take me off your list",
                        "remove her number from your messaging", "stop sending me promos"}) {
    const Decision r = MatchFor(options, w);
    EXPECT_EQ(r.keyword_family, v1::KEYWORD_FAMILY_OPT_OUT) << w;
    EXPECT_EQ(r.destination, "compliance") << w;
    EXPECT_FALSE(r.auto_reply) << w;
  }
}

TEST(RouterCompliance, TenantKeywordsFromTheTenantsFile) {
  auto tenants = config::TenantDirectory::FromYaml(R"(
tenants:
  - id: acme
    brand: {name: A, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550100"}]
    keywords: {opt_out: [ALTO], help: [AYUDA], removed: [END]}
  - id: globex
    brand: {name: G, description: d, frequency: f, support: s}
    numbers: [{number: "+13125550100"}]
)");
  ASSERT_TRUE(tenants.ok());
  RuleOptions base;
  base.tenant_keywords = *keywords::TenantClassifiers::FromTenants(**tenants);
  const RuleOptions acme = DefaultTenantOptions(base, "acme", tenants->get());
  const RuleOptions globex = DefaultTenantOptions(base, "globex", tenants->get());
  EXPECT_EQ(MatchFor(acme, "Alto").keyword_family, v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_FALSE(MatchFor(acme, "Alto").auto_reply);
  EXPECT_EQ(MatchFor(acme, "ayuda").keyword_family, v1::KEYWORD_FAMILY_HELP);
  EXPECT_EQ(MatchFor(acme, "end").keyword_family, v1::KEYWORD_FAMILY_UNSPECIFIED);
  EXPECT_EQ(MatchFor(globex, "Alto").keyword_family, v1::KEYWORD_FAMILY_UNSPECIFIED);
  EXPECT_TRUE(MatchFor(globex, "Alto").auto_reply);
  EXPECT_EQ(MatchFor(globex, "end").keyword_family, v1::KEYWORD_FAMILY_OPT_OUT);
}

TEST(RouterCompliance, IntentLabelsMapToFamilies) {
  EXPECT_EQ(FamilyOfIntent("opt_out"), v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(FamilyOfIntent("help"), v1::KEYWORD_FAMILY_HELP);
  EXPECT_EQ(FamilyOfIntent("store_hours"), v1::KEYWORD_FAMILY_UNSPECIFIED);
}

}  // namespace
}  // namespace smsflow::router
