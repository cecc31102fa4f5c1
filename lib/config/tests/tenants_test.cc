#include "lib/config/tenants.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smsflow::config {
namespace {

using ::testing::HasSubstr;

constexpr char kGood[] = R"(
tenants:
  - id: acme
    name: Acme Coffee
    time_zone: America/New_York
    webhook_auth_token: s3cret
    brand:
      name: Acme Coffee
      description: order updates and offers
      frequency: Msg frequency varies
      support: help@acme.example
    numbers:
      - number: "+1 (415) 555-0100"
        type: long_code
        scope: main
      - number: "+18005550199"
        type: toll_free
      - number: "55555"
        type: short_code
        rate: 150
)";

std::string ErrorOf(std::string_view yaml) {
  auto d = TenantDirectory::FromYaml(yaml);
  EXPECT_FALSE(d.ok());
  return d.ok() ? "" : std::string(d.status().message());
}

TEST(TenantsTest, LoadsAndIndexesByNormalisedNumber) {
  auto dir = TenantDirectory::FromYaml(kGood);
  ASSERT_TRUE(dir.ok()) << dir.status();
  auto owner = (*dir)->FindNumber("+14155550100");
  ASSERT_TRUE(owner.has_value());
  EXPECT_EQ(owner->tenant->id, "acme");
  EXPECT_EQ(owner->number->scope, "main");
  EXPECT_EQ(owner->number->rate, 1.0);
  auto tf = (*dir)->FindNumber("+18005550199");
  ASSERT_TRUE(tf.has_value());
  EXPECT_EQ(tf->number->rate, 3.0);
  EXPECT_EQ(tf->number->scope, "default");
  EXPECT_EQ((*dir)->FindNumber("55555")->number->rate, 150.0);
  EXPECT_FALSE((*dir)->FindNumber("+14155550101").has_value());
  EXPECT_EQ((*dir)->FindTenant("acme")->brand.support, "help@acme.example");
}

TEST(TenantsTest, UnknownKeyIsNamedWithItsPath) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("scope: main"), 11, "scop: main");
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("tenants[0].numbers[0].scop: unknown key"));
}

TEST(TenantsTest, BadNumberTypeIsNamed) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("type: toll_free"), 15, "type: tollfree");
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("tenants[0].numbers[1].type: 'tollfree'"));
}

TEST(TenantsTest, InvalidPhoneNumberIsNamed) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("+18005550199"), 12, "+1800");
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("tenants[0].numbers[1].number"));
}

TEST(TenantsTest, MissingBrandFieldIsNamed) {
  std::string yaml = kGood;
  yaml.erase(yaml.find("      support: help@acme.example\n"), 33);
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("tenants[0].brand.support: required"));
}

TEST(TenantsTest, UnknownTimeZoneIsNamed) {
  std::string yaml = kGood;
  yaml.replace(yaml.find("America/New_York"), 16, "America/Nowhere");
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("tenants[0].time_zone"));
}

TEST(TenantsTest, DuplicateNumberAcrossTenantsIsRejected) {
  std::string yaml = std::string(kGood) + R"(
  - id: other
    brand: {name: O, description: d, frequency: f, support: s}
    numbers:
      - number: "+14155550100"
)";
  EXPECT_THAT(ErrorOf(yaml),
              HasSubstr("tenants[1].numbers[0].number: number already belongs to tenant 'acme'"));
}

TEST(TenantsTest, DuplicateTenantIdAndBadIdAreRejected) {
  std::string yaml = std::string(kGood) + R"(
  - id: acme
    brand: {name: O, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550111"}]
)";
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("duplicate tenant 'acme'"));
  EXPECT_THAT(ErrorOf("tenants: [{id: 'Acme!'}]"), HasSubstr("tenants[0].id"));
}

TEST(TenantsTest, NotYamlOrWrongShapeIsAnError) {
  EXPECT_THAT(ErrorOf("tenants: [unclosed"), HasSubstr("not valid YAML"));
  EXPECT_THAT(ErrorOf("tenant: []"), HasSubstr("tenant: unknown key"));
  EXPECT_THAT(ErrorOf("tenants: {}"), HasSubstr("expected a list"));
  EXPECT_THAT(
      ErrorOf(
          R"(tenants: [{id: a, brand: {name: O, description: d, frequency: f, support: s}, numbers: [{number: "+14155550111", rate: fast}]}])"),
      HasSubstr("numbers[0].rate"));
}

TEST(TenantsTest, KeywordsAndLimitsAreReadAndDefaultWhenAbsent) {
  constexpr char kYaml[] = R"(
tenants:
  - id: acme
    brand: {name: A, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550100"}]
    keywords:
      opt_out: [ALTO, PARAR]
      help: [AYUDA]
      removed: [END]
      plain_language_opt_out: false
    limits: {rate: 25.5, daily_segments: 1000}
  - id: globex
    brand: {name: G, description: d, frequency: f, support: s}
    numbers: [{number: "+13125550100"}]
)";
  auto d = TenantDirectory::FromYaml(kYaml);
  ASSERT_TRUE(d.ok()) << d.status();
  const Tenant* acme = (*d)->FindTenant("acme");
  EXPECT_EQ(acme->keywords.opt_out, (std::vector<std::string>{"ALTO", "PARAR"}));
  EXPECT_EQ(acme->keywords.help, (std::vector<std::string>{"AYUDA"}));
  EXPECT_EQ(acme->keywords.removed, (std::vector<std::string>{"END"}));
  EXPECT_TRUE(acme->keywords.opt_in.empty());
  EXPECT_FALSE(acme->keywords.plain_language_opt_out);
  EXPECT_DOUBLE_EQ(acme->limits.rate.value_or(0), 25.5);
  EXPECT_EQ(acme->limits.daily_segments.value_or(-1), 1000);
  const Tenant* globex = (*d)->FindTenant("globex");
  EXPECT_TRUE(globex->keywords.plain_language_opt_out);
  EXPECT_FALSE(globex->limits.rate.has_value());
  EXPECT_FALSE(globex->limits.daily_segments.has_value());
}

TEST(TenantsTest, BadKeywordsAndLimitsAreNamed) {
  const std::string head = R"(
tenants:
  - id: acme
    brand: {name: A, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550100"}]
)";
  EXPECT_THAT(ErrorOf(head + "    keywords: {opt_out: ALTO}\n"),
              HasSubstr("tenants[0].keywords.opt_out: expected a list"));
  EXPECT_THAT(ErrorOf(head + "    keywords: {stop: [X]}\n"),
              HasSubstr("tenants[0].keywords.stop: unknown key"));
  EXPECT_THAT(ErrorOf(head + "    keywords: {help: ['']}\n"),
              HasSubstr("tenants[0].keywords.help[0]"));
  EXPECT_THAT(ErrorOf(head + "    limits: {rate: 0}\n"),
              HasSubstr("tenants[0].limits.rate: must be greater than 0"));
  EXPECT_THAT(ErrorOf(head + "    limits: {daily_segments: -1}\n"),
              HasSubstr("tenants[0].limits.daily_segments: must not be negative"));
  EXPECT_THAT(ErrorOf(head + "    limits: {daily_segments: lots}\n"),
              HasSubstr("tenants[0].limits.daily_segments"));
}

TEST(TenantsTest, MissingFileIsNamed) {
  auto d = TenantDirectory::FromFile("/nonexistent/tenants.yaml");
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(std::string(d.status().message()), HasSubstr("/nonexistent/tenants.yaml"));
}

}  // namespace
}  // namespace smsflow::config
