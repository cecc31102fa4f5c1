#include "services/consent/policy/policy_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::consent::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PolicyConfigTest, EmptyYamlGivesDefaults) {
  auto cfg = ParsePolicyYaml("");
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  EXPECT_EQ(cfg->quiet_hours.default_window.ToString(), "08:00-21:00");
  EXPECT_EQ(cfg->quiet_hours.region_windows.at("US-FL").ToString(), "08:00-20:00");
  EXPECT_EQ(cfg->quiet_hours.region_windows.at("US-OK").ToString(), "08:00-20:00");
  EXPECT_THAT(cfg->quiet_hours.exempt_categories,
              ElementsAre(Category::kOtp, Category::kTransactional, Category::kCompliance));
  EXPECT_EQ(cfg->consent.implied_window, absl::Hours(24));
  EXPECT_EQ(cfg->consent.otp_request_window, absl::Minutes(10));
  EXPECT_TRUE(cfg->zones.check_all_zones_of_split_area_codes);
}

TEST(PolicyConfigTest, FullFile) {
  auto cfg = ParsePolicyYaml(R"(
area_code_table: /etc/smsflow/area.tsv
quiet_hours:
  default: "09:00-20:00"
  regions:
    US-FL: "08:00-20:00"
    GB: "22:00-06:00"
  exempt_categories: [otp, conversational]
  search_horizon_hours: 72
consent:
  implied_window_hours: 48
  otp_request_window_minutes: 5
zones:
  check_all_zones_of_split_area_codes: false
)");
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  EXPECT_EQ(cfg->area_code_table, "/etc/smsflow/area.tsv");
  EXPECT_EQ(cfg->quiet_hours.default_window.ToString(), "09:00-20:00");
  EXPECT_EQ(cfg->quiet_hours.region_windows.size(), 2u);  // replaces the defaults
  EXPECT_TRUE(cfg->quiet_hours.region_windows.at("GB").CrossesMidnight());
  EXPECT_THAT(cfg->quiet_hours.exempt_categories,
              ElementsAre(Category::kOtp, Category::kConversational));
  EXPECT_EQ(cfg->quiet_hours.search_horizon, absl::Hours(72));
  EXPECT_EQ(cfg->consent.implied_window, absl::Hours(48));
  EXPECT_EQ(cfg->consent.otp_request_window, absl::Minutes(5));
  EXPECT_FALSE(cfg->zones.check_all_zones_of_split_area_codes);
}

TEST(PolicyConfigTest, ErrorsNameTheKey) {
  struct Bad {
    const char* yaml;
    const char* message;
  };
  const Bad cases[] = {
      {"quiet_hour: {}", "policy config: quiet_hour: unknown key"},
      {"quiet_hours: {window: x}", "quiet_hours.window: unknown key"},
      {"quiet_hours: {default: '8-21'}", "quiet_hours.default: '8-21' is not a window"},
      {"quiet_hours: {default: '08:00-08:00'}", "quiet_hours.default: '08:00-08:00' is empty"},
      {"quiet_hours: {default: '25:00-08:00'}", "quiet_hours.default"},
      {"quiet_hours: {regions: {US-FL: '08:00-20:61'}}", "quiet_hours.regions.US-FL"},
      {"quiet_hours: {regions: {florida: '08:00-20:00'}}",
       "quiet_hours.regions.florida: region key must be like"},
      {"quiet_hours: {exempt_categories: [otp, promo]}",
       "quiet_hours.exempt_categories[1]: 'promo' is not one of"},
      {"quiet_hours: {exempt_categories: otp}", "quiet_hours.exempt_categories: expected a list"},
      {"quiet_hours: {search_horizon_hours: 2}", "search_horizon_hours: must be between"},
      {"consent: {implied_window_hours: abc}", "consent.implied_window_hours: expected a scalar"},
      {"consent: {otp_request_window_minutes: 0}", "consent.otp_request_window_minutes: must be"},
      {"zones: {split: true}", "zones.split: unknown key"},
      {"[1, 2", "not valid YAML"},
  };
  for (const Bad& c : cases) {
    auto cfg = ParsePolicyYaml(c.yaml);
    ASSERT_FALSE(cfg.ok()) << c.yaml;
    EXPECT_EQ(cfg.status().code(), absl::StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_THAT(std::string(cfg.status().message()), HasSubstr(c.message)) << c.yaml;
  }
}

TEST(PolicyConfigTest, WindowParsing) {
  EXPECT_EQ(ParseLocalWindow("08:00-21:00")->ToString(), "08:00-21:00");
  EXPECT_EQ(ParseLocalWindow(" 22:00 - 06:00 ")->ToString(), "22:00-06:00");
  EXPECT_EQ(ParseLocalWindow("00:00-24:00")->ToString(), "00:00-24:00");
  EXPECT_FALSE(ParseLocalWindow("24:00-08:00").ok());
  EXPECT_FALSE(ParseLocalWindow("8:00-21:00").ok());
  EXPECT_FALSE(ParseLocalWindow("08:00").ok());
  const LocalWindow w = *ParseLocalWindow("22:00-06:00");
  EXPECT_TRUE(w.Contains(22 * 60));
  EXPECT_TRUE(w.Contains(0));
  EXPECT_TRUE(w.Contains(5 * 60 + 59));
  EXPECT_FALSE(w.Contains(6 * 60));
  EXPECT_FALSE(w.Contains(21 * 60 + 59));
}

TEST(PolicyConfigTest, MissingFileIsNotFound) {
  auto cfg = LoadPolicyYamlFile("/nonexistent/policy.yaml");
  EXPECT_EQ(cfg.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace smsflow::consent::policy
