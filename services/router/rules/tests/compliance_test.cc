#include "services/router/rules/compliance.h"

#include <gtest/gtest.h>

#include "services/router/rules/normalize.h"

namespace smsflow::router {
namespace {

v1::KeywordFamily Family(const ComplianceKeywords& k, std::string_view text) {
  return k.Classify(NormalizeForMatch(text));
}

TEST(ComplianceKeywords, DefaultFamiliesOnTheWholeMessage) {
  const ComplianceKeywords k = ComplianceKeywords::Defaults();
  for (const char* w : {"STOP", "Stop.", " stop ", "STOP!!", "STOPALL", "unsubscribe", "Cancel",
                        "END", "quit", "REVOKE", "OPTOUT", "opt out", "Stop All", "OPT-OUT"}) {
    EXPECT_EQ(Family(k, w), v1::KEYWORD_FAMILY_OPT_OUT) << w;
  }
  for (const char* w : {"START", "yes", "Unstop!"}) {
    EXPECT_EQ(Family(k, w), v1::KEYWORD_FAMILY_OPT_IN) << w;
  }
  for (const char* w : {"HELP", "info?"}) EXPECT_EQ(Family(k, w), v1::KEYWORD_FAMILY_HELP) << w;
  for (const char* w : {"don't stop the reminders", "stop by later", "help me with my order"}) {
    EXPECT_EQ(Family(k, w), v1::KEYWORD_FAMILY_UNSPECIFIED) << w;
  }
}

TEST(ComplianceKeywords, TenantExtras) {
  ComplianceKeywords k = ComplianceKeywords::Defaults();
  k.Add("BAJA", v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(Family(k, "baja"), v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(FamilyOfIntent("opt_out"), v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(FamilyOfIntent("help"), v1::KEYWORD_FAMILY_HELP);
  EXPECT_EQ(FamilyOfIntent("store_hours"), v1::KEYWORD_FAMILY_UNSPECIFIED);
}

}  // namespace
}  // namespace smsflow::router
