#include "services/consent/ledger/consent_config.h"

#include <gtest/gtest.h>

#include "services/consent/ledger/tests/test_tenants.h"

namespace smsflow::consent::ledger {
namespace {

std::shared_ptr<const config::TenantDirectory> Tenants() {
  return *config::TenantDirectory::FromYaml(testdata::kTenants);
}

TEST(ConsentConfigTest, DefaultsForEveryTenantWithoutAFile) {
  auto set = ConsentConfigSet::FromYaml("", *Tenants());
  ASSERT_TRUE(set.ok()) << set.status();
  const auto* acme = (*set)->Find("acme");
  ASSERT_NE(acme, nullptr);
  EXPECT_TRUE(acme->config.help_when_opted_out);
  EXPECT_EQ(acme->config.implied_consent_window, absl::Hours(24));
  EXPECT_EQ(acme->config.confirmation_window, absl::Minutes(5));
  EXPECT_EQ((*set)->Find("nobody"), nullptr);
  // Keywords come from the tenants file, with or without a consent file.
  EXPECT_EQ(acme->classifier.Classify("ALTO").family, keywords::KeywordFamily::kOptOut);
}

TEST(ConsentConfigTest, DefaultHelpTextHasEverythingCarriersRequire) {
  auto set = *ConsentConfigSet::FromYaml("", *Tenants());
  const auto* globex = set->Find("globex");
  const std::string& help = globex->config.replies.help;
  for (const char* part :
       {"Globex", "reminders", "Up to 4 msgs/month", "Msg & data rates may apply",
        "g@globex.example", "Reply STOP to cancel"}) {
    EXPECT_NE(help.find(part), std::string::npos) << part << " missing from: " << help;
  }
  const std::string& out = globex->config.replies.opt_out;
  EXPECT_NE(out.find("Globex"), std::string::npos);
  EXPECT_NE(out.find("START"), std::string::npos);
  EXPECT_NE(globex->config.replies.opt_in.find("STOP"), std::string::npos);
}

TEST(ConsentConfigTest, TenantExtrasAndWindows) {
  auto set = ConsentConfigSet::FromYaml(testdata::kConsentConfig, *Tenants());
  ASSERT_TRUE(set.ok()) << set.status();
  const auto* acme = (*set)->Find("acme");
  EXPECT_EQ(acme->classifier.Classify("Alto").family, keywords::KeywordFamily::kOptOut);
  EXPECT_EQ(acme->classifier.Classify("cancelar!").family, keywords::KeywordFamily::kOptOut);
  EXPECT_EQ(acme->classifier.Classify("AYUDA").family, keywords::KeywordFamily::kHelp);
  EXPECT_EQ(acme->classifier.Classify("END").family, keywords::KeywordFamily::kNone);
  EXPECT_EQ(acme->config.implied_consent_window, absl::Hours(12));
  // Globex is not in the file: defaults.
  EXPECT_EQ((*set)->Find("globex")->classifier.Classify("ALTO").family,
            keywords::KeywordFamily::kNone);
}

TEST(ConsentConfigTest, CustomRepliesExpandBrandPlaceholders) {
  auto set = ConsentConfigSet::FromYaml(R"(
tenants:
  acme:
    replies:
      opt_out: "{brand}: baja confirmada. Responde START para volver."
      help: "{brand}: ayuda {support}. Msg & data rates may apply. Reply STOP to cancel."
    help_when_opted_out: false
)",
                                        *Tenants());
  ASSERT_TRUE(set.ok()) << set.status();
  const auto* acme = (*set)->Find("acme");
  EXPECT_EQ(acme->config.replies.opt_out,
            "Acme Coffee: baja confirmada. Responde START para volver.");
  EXPECT_NE(acme->config.replies.help.find("help@acme.example"), std::string::npos);
  EXPECT_FALSE(acme->config.help_when_opted_out);
  // Not overridden: still the default.
  EXPECT_NE(acme->config.replies.opt_in.find("Acme Coffee"), std::string::npos);
}

struct BadCase {
  const char* yaml;
  const char* error;
};

TEST(ConsentConfigTest, ErrorsNameThePath) {
  const BadCase cases[] = {
      {"tenants: {acme: {keywords: {opt_out: [ALTO]}}}",
       "tenants.acme.keywords: keywords are set in the tenants file"},
      {"tenants: {nobody: {}}", "tenants.nobody: no such tenant"},
      {"tenants: {acme: {colour: red}}", "tenants.acme.colour: unknown key"},
      {"tenants: {acme: {implied_consent_window: forever}}",
       "tenants.acme.implied_consent_window: 'forever' is not a duration"},
      {"tenants: {acme: {help_when_opted_out: maybe}}", "tenants.acme.help_when_opted_out"},
      {"tenants: {acme: {replies: {help: 'Acme Coffee: call us'}}}",
       "tenants.acme.replies.help: must contain 'STOP'"},
      {"tenants: {acme: {replies: {opt_out: 'Bye. Reply START'}}}",
       "tenants.acme.replies.opt_out: must name the brand"},
      {"other: 1", "consent config.other: unknown key"},
  };
  for (const BadCase& c : cases) {
    auto set = ConsentConfigSet::FromYaml(c.yaml, *Tenants());
    ASSERT_FALSE(set.ok()) << c.yaml;
    EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(std::string(set.status().message()).find(c.error), std::string::npos)
        << "got: " << set.status() << " want: " << c.error;
  }
}

TEST(ConsentConfigTest, BadTenantKeywordsAreNamedByTheirTenantsFilePath) {
  auto tenants = *config::TenantDirectory::FromYaml(R"(
tenants:
  - id: acme
    brand: {name: A, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550100"}]
    keywords: {removed: [STOP]}
)");
  auto set = ConsentConfigSet::FromYaml("", *tenants);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(std::string(set.status().message()).find("tenants[0].keywords.removed"),
            std::string::npos)
      << set.status();
}

TEST(ConsentConfigTest, MissingFileIsAnError) {
  auto set = ConsentConfigSet::FromFile("/nonexistent/consent.yaml", *Tenants());
  EXPECT_FALSE(set.ok());
  EXPECT_TRUE(ConsentConfigSet::FromFile("", *Tenants()).ok());
}

}  // namespace
}  // namespace smsflow::consent::ledger

namespace smsflow::consent::ledger {
namespace {

TEST(ConsentConfigTest, ShippedLocalConfigLoadsWithShippedTenants) {
  auto tenants = config::TenantDirectory::FromFile(SMSFLOW_LOCAL_TENANTS);
  ASSERT_TRUE(tenants.ok()) << tenants.status();
  auto set = ConsentConfigSet::FromFile(SMSFLOW_LOCAL_CONSENT, **tenants, absl::Hours(48));
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ((*set)->Find("acme")->classifier.Classify("alto").family,
            keywords::KeywordFamily::kOptOut);
  EXPECT_EQ((*set)->Find("acme")->config.implied_consent_window, absl::Hours(24));
  EXPECT_EQ((*set)->Find("globex")->config.implied_consent_window, absl::Hours(48));
}

}  // namespace
}  // namespace smsflow::consent::ledger
