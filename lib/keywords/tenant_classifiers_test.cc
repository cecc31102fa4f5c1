// One classifier per tenant from the tenants file, shared by consent and the
// router so both treat a tenant's messages alike.
#include "lib/keywords/tenant_classifiers.h"

#include <gtest/gtest.h>

namespace smsflow::keywords {
namespace {

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    brand: {name: A, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550100"}]
    keywords:
      opt_out: [ALTO, PARAR]
      help: [AYUDA]
      removed: [END]
  - id: globex
    brand: {name: G, description: d, frequency: f, support: s}
    numbers: [{number: "+13125550100"}]
    keywords: {plain_language_opt_out: false}
)";

TEST(TenantClassifiersTest, EachTenantGetsItsOwnKeywords) {
  auto set = TenantClassifiers::FromTenants(**config::TenantDirectory::FromYaml(kTenants));
  ASSERT_TRUE(set.ok()) << set.status();
  const KeywordClassifier& acme = (*set)->For("acme");
  EXPECT_EQ(acme.Classify("alto").family, KeywordFamily::kOptOut);
  EXPECT_EQ(acme.Classify("Ayuda!").family, KeywordFamily::kHelp);
  EXPECT_EQ(acme.Classify("END").family, KeywordFamily::kNone);
  EXPECT_EQ(acme.Classify("please stop texting me").family, KeywordFamily::kOptOut);
  const KeywordClassifier& globex = (*set)->For("globex");
  EXPECT_EQ(globex.Classify("ALTO").family, KeywordFamily::kNone);
  EXPECT_EQ(globex.Classify("END").family, KeywordFamily::kOptOut);
  EXPECT_EQ(globex.Classify("please stop texting me").family, KeywordFamily::kNone);
  // A tenant the file does not name still gets COMPLIANCE.md's defaults.
  EXPECT_EQ((*set)->For("nobody").Classify("STOP").family, KeywordFamily::kOptOut);
  EXPECT_EQ((*set)->For("nobody").Classify("stop texting me").family, KeywordFamily::kOptOut);
}

TEST(TenantClassifiersTest, ABadKeywordNamesItsTenantsFilePath) {
  auto tenants = config::TenantDirectory::FromYaml(R"(
tenants:
  - id: acme
    brand: {name: A, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550100"}]
  - id: globex
    brand: {name: G, description: d, frequency: f, support: s}
    numbers: [{number: "+13125550100"}]
    keywords: {removed: [HELP]}
)");
  ASSERT_TRUE(tenants.ok());
  auto set = TenantClassifiers::FromTenants(**tenants);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(set.status().message());
  EXPECT_NE(message.find("tenants file: tenants[1].keywords.removed"), std::string::npos)
      << message;
  EXPECT_NE(message.find("HELP"), std::string::npos) << message;
}

TEST(TenantClassifiersTest, FamiliesMapToTheWireEnum) {
  EXPECT_EQ(ToProto(KeywordFamily::kOptOut), v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(ToProto(KeywordFamily::kOptIn), v1::KEYWORD_FAMILY_OPT_IN);
  EXPECT_EQ(ToProto(KeywordFamily::kHelp), v1::KEYWORD_FAMILY_HELP);
  EXPECT_EQ(ToProto(KeywordFamily::kNone), v1::KEYWORD_FAMILY_UNSPECIFIED);
}

}  // namespace
}  // namespace smsflow::keywords
