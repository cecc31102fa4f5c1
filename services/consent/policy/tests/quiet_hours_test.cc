// Quiet-hour edges of COMPLIANCE.md "Time rules" on ordinary days: the federal
// 08:00-21:00 window in several zones, FL/OK 08:00-20:00, exemptions, evidence.
#include "services/consent/policy/quiet_hours.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/consent/policy/tests/test_util.h"

namespace smsflow::consent::policy {
namespace {

using testing::Fmt;
using testing::Local;
using testing::Place;

QuietHours Defaults() {
  auto q = QuietHours::Create(QuietHoursConfig::Defaults());
  EXPECT_TRUE(q.ok()) << q.status();
  return *std::move(q);
}

struct ZoneCase {
  const char* zone;
  const char* state;
};

void PrintTo(const ZoneCase& c, std::ostream* os) { *os << c.zone << " " << c.state; }

class FederalWindowTest : public ::testing::TestWithParam<ZoneCase> {};

// One summer and one winter day, so zones with and without DST are covered.
TEST_P(FederalWindowTest, EdgesAt0759And0800And2059And2100) {
  const QuietHours q = Defaults();
  const std::string zone = GetParam().zone;
  const std::vector<ZoneAndState> where = {Place(zone, "US", GetParam().state)};
  for (int month : {1, 7}) {
    SCOPED_TRACE(testing::Fmt(Local(zone, 2026, month, 15, 12, 0)));
    const absl::Time open = Local(zone, 2026, month, 15, 8, 0);
    const absl::Time close = Local(zone, 2026, month, 15, 21, 0);
    const absl::Time next_open = Local(zone, 2026, month, 16, 8, 0);

    WindowDecision d = q.CheckWindow(open - absl::Minutes(1), where, Category::kMarketing);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.next_allowed, open) << Fmt(d.next_allowed);
    EXPECT_EQ(d.window_end, close) << Fmt(d.window_end);

    d = q.CheckWindow(open, where, Category::kMarketing);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.next_allowed, open);
    EXPECT_EQ(d.window_end, close) << Fmt(d.window_end);

    d = q.CheckWindow(close - absl::Minutes(1), where, Category::kMarketing);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.window_end, close);

    d = q.CheckWindow(close - absl::Seconds(1), where, Category::kMarketing);
    EXPECT_TRUE(d.allowed);

    d = q.CheckWindow(close, where, Category::kMarketing);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.next_allowed, next_open) << Fmt(d.next_allowed);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Zones, FederalWindowTest,
    ::testing::Values(ZoneCase{"America/New_York", "NY"}, ZoneCase{"America/Chicago", "IL"},
                      ZoneCase{"America/Denver", "CO"}, ZoneCase{"America/Phoenix", "AZ"},
                      ZoneCase{"America/Los_Angeles", "CA"}, ZoneCase{"Pacific/Honolulu", "HI"},
                      ZoneCase{"America/Anchorage", "AK"}),
    [](const auto& info) {
      std::string n = info.param.zone;
      return n.substr(n.find('/') + 1);
    });

TEST(QuietHoursTest, FloridaAndOklahomaCloseAt2000) {
  const QuietHours q = Defaults();
  struct Case {
    const char* zone;
    const char* state;
  };
  for (Case c : {Case{"America/New_York", "FL"}, Case{"America/Chicago", "FL"},
                 Case{"America/Chicago", "OK"}}) {
    SCOPED_TRACE(std::string(c.zone) + " " + c.state);
    const std::vector<ZoneAndState> where = {Place(c.zone, "US", c.state)};
    WindowDecision d =
        q.CheckWindow(Local(c.zone, 2026, 5, 20, 19, 59), where, Category::kMarketing);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.window_end, Local(c.zone, 2026, 5, 20, 20, 0));
    d = q.CheckWindow(Local(c.zone, 2026, 5, 20, 20, 0), where, Category::kMarketing);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.next_allowed, Local(c.zone, 2026, 5, 21, 8, 0));
    d = q.CheckWindow(Local(c.zone, 2026, 5, 20, 7, 59), where, Category::kMarketing);
    EXPECT_FALSE(d.allowed);
    d = q.CheckWindow(Local(c.zone, 2026, 5, 20, 8, 0), where, Category::kMarketing);
    EXPECT_TRUE(d.allowed);
  }
  // Texas keeps the federal window.
  WindowDecision d = q.CheckWindow(Local("America/Chicago", 2026, 5, 20, 20, 30),
                                   {Place("America/Chicago", "US", "TX")}, Category::kMarketing);
  EXPECT_TRUE(d.allowed);
}

TEST(QuietHoursTest, NextAllowedIsTheNextLocalOpening) {
  const QuietHours q = Defaults();
  const std::vector<ZoneAndState> ny = {Place("America/New_York", "US", "NY")};
  WindowDecision d =
      q.CheckWindow(Local("America/New_York", 2026, 4, 10, 21, 30), ny, Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Local("America/New_York", 2026, 4, 11, 8, 0));
  EXPECT_EQ(d.window_end, Local("America/New_York", 2026, 4, 11, 21, 0));

  d = q.CheckWindow(Local("America/New_York", 2026, 4, 10, 7, 0), ny, Category::kMarketing);
  EXPECT_EQ(d.next_allowed, Local("America/New_York", 2026, 4, 10, 8, 0));

  d = q.CheckWindow(Local("America/New_York", 2026, 4, 10, 0, 0), ny, Category::kMarketing);
  EXPECT_EQ(d.next_allowed, Local("America/New_York", 2026, 4, 10, 8, 0));
}

TEST(QuietHoursTest, OtpTransactionalAndComplianceAreExempt) {
  const QuietHours q = Defaults();
  const absl::Time three_am = Local("America/New_York", 2026, 4, 10, 3, 0);
  const std::vector<ZoneAndState> ny = {Place("America/New_York", "US", "NY")};
  for (Category c : {Category::kOtp, Category::kTransactional, Category::kCompliance}) {
    WindowDecision d = q.CheckWindow(three_am, ny, c);
    EXPECT_TRUE(d.allowed) << CategoryName(c);
    EXPECT_EQ(d.next_allowed, three_am);
    EXPECT_EQ(d.window_end, absl::InfiniteFuture());
    EXPECT_EQ(d.rule, "exempt: " + std::string(CategoryName(c)));
    // Exempt even when nothing is known about the recipient's place.
    EXPECT_TRUE(q.CheckWindow(three_am, {}, c).allowed);
  }
  for (Category c : {Category::kMarketing, Category::kConversational}) {
    EXPECT_FALSE(q.CheckWindow(three_am, ny, c).allowed) << CategoryName(c);
  }
}

TEST(QuietHoursTest, RuleNamesRegionWindowAndZone) {
  const QuietHours q = Defaults();
  const absl::Time t = Local("America/New_York", 2026, 4, 10, 12, 0);
  EXPECT_EQ(q.CheckWindow(t, {Place("America/New_York", "US", "FL")}, Category::kMarketing).rule,
            "US-FL 08:00-20:00 America/New_York");
  EXPECT_EQ(q.CheckWindow(t, {Place("America/New_York", "US", "NY")}, Category::kMarketing).rule,
            "US-NY 08:00-21:00 America/New_York (default)");
  EXPECT_EQ(q.CheckWindow(
                 t, {Place("America/Chicago", "US", "FL"), Place("America/New_York", "US", "FL")},
                 Category::kMarketing)
                .rule,
            "US-FL 08:00-20:00 America/Chicago; US-FL 08:00-20:00 America/New_York");
}

TEST(QuietHoursTest, RegionRulePrecedence) {
  QuietHoursConfig cfg = QuietHoursConfig::Defaults();
  cfg.region_windows["GB"] = {9 * 60, 20 * 60};
  cfg.region_windows["US"] = {9 * 60, 21 * 60};
  auto q = QuietHours::Create(cfg);
  ASSERT_TRUE(q.ok());
  std::string key;
  EXPECT_EQ(q->WindowFor(Place("America/New_York", "US", "FL"), &key).ToString(), "08:00-20:00");
  EXPECT_EQ(key, "US-FL");
  EXPECT_EQ(q->WindowFor(Place("America/New_York", "US", "NY"), &key).ToString(), "09:00-21:00");
  EXPECT_EQ(key, "US");
  EXPECT_EQ(q->WindowFor(Place("Europe/London", "GB", ""), &key).ToString(), "09:00-20:00");
  EXPECT_EQ(q->WindowFor(Place("Europe/Paris", "FR", ""), &key).ToString(), "08:00-21:00");
  EXPECT_EQ(key, "default");
  EXPECT_EQ(q->WindowFor(Place("UTC", "", ""), &key).ToString(), "08:00-21:00");
}

TEST(QuietHoursTest, NoCandidatesNeverAllowsNonExemptCategories) {
  const QuietHours q = Defaults();
  WindowDecision d = q.CheckWindow(absl::Now(), {}, Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, absl::InfiniteFuture());
  EXPECT_EQ(d.rule, "no time zone known for the recipient");
}

TEST(QuietHoursTest, DecideAllowsDefersOrExpires) {
  const QuietHours q = Defaults();
  const std::vector<ZoneAndState> ny = {Place("America/New_York", "US", "NY")};
  const absl::Time noon = Local("America/New_York", 2026, 4, 10, 12, 0);
  const absl::Time late = Local("America/New_York", 2026, 4, 10, 21, 30);
  const absl::Time open = Local("America/New_York", 2026, 4, 11, 8, 0);

  Deferral d = q.Decide(noon, noon + absl::Hours(1), ny, Category::kMarketing);
  EXPECT_EQ(d.action, DeferralAction::kAllow);
  EXPECT_EQ(d.until, noon);
  EXPECT_EQ(d.reason, "");

  d = q.Decide(late, late + absl::Hours(24), ny, Category::kMarketing);
  EXPECT_EQ(d.action, DeferralAction::kDefer);
  EXPECT_EQ(d.until, open);
  EXPECT_EQ(d.reason, "quiet_hours");
  EXPECT_EQ(d.rule, "US-NY 08:00-21:00 America/New_York (default)");

  d = q.Decide(late, open + absl::Seconds(1), ny, Category::kMarketing);
  EXPECT_EQ(d.action, DeferralAction::kDefer);

  // Validity ends exactly when the window opens: too late, expire.
  d = q.Decide(late, open, ny, Category::kMarketing);
  EXPECT_EQ(d.action, DeferralAction::kExpire);
  EXPECT_EQ(d.reason, "quiet_hours");
  EXPECT_EQ(d.until, open);

  d = q.Decide(late, late + absl::Hours(2), ny, Category::kMarketing);
  EXPECT_EQ(d.action, DeferralAction::kExpire);
  EXPECT_EQ(d.reason, "quiet_hours");

  // Already past its validity: expired whatever the window says.
  d = q.Decide(noon, noon, ny, Category::kMarketing);
  EXPECT_EQ(d.action, DeferralAction::kExpire);
  EXPECT_EQ(d.reason, "validity_expired");
  d = q.Decide(late, late - absl::Minutes(1), ny, Category::kOtp);
  EXPECT_EQ(d.reason, "validity_expired");

  // Exempt at 21:30: allowed.
  d = q.Decide(late, late + absl::Minutes(5), ny, Category::kOtp);
  EXPECT_EQ(d.action, DeferralAction::kAllow);

  // No place known: a non-exempt message can never be placed in a window.
  d = q.Decide(noon, noon + absl::Hours(72), {}, Category::kMarketing);
  EXPECT_EQ(d.action, DeferralAction::kExpire);
  EXPECT_EQ(d.reason, "quiet_hours");
}

TEST(QuietHoursTest, ConfigurableExemptions) {
  QuietHoursConfig cfg = QuietHoursConfig::Defaults();
  cfg.exempt_categories = {Category::kOtp, Category::kConversational};
  auto q = QuietHours::Create(cfg);
  ASSERT_TRUE(q.ok());
  const absl::Time t = Local("America/New_York", 2026, 4, 10, 23, 0);
  const std::vector<ZoneAndState> ny = {Place("America/New_York", "US", "NY")};
  EXPECT_TRUE(q->CheckWindow(t, ny, Category::kConversational).allowed);
  EXPECT_FALSE(q->CheckWindow(t, ny, Category::kTransactional).allowed);
}

TEST(QuietHoursTest, CreateRejectsInvalidConfig) {
  QuietHoursConfig cfg = QuietHoursConfig::Defaults();
  cfg.region_windows["florida"] = {8 * 60, 20 * 60};
  EXPECT_FALSE(QuietHours::Create(cfg).ok());
  cfg = QuietHoursConfig::Defaults();
  cfg.default_window = {600, 600};
  EXPECT_FALSE(QuietHours::Create(cfg).ok());
  cfg = QuietHoursConfig::Defaults();
  cfg.search_horizon = absl::Hours(1);
  EXPECT_FALSE(QuietHours::Create(cfg).ok());
}

}  // namespace
}  // namespace smsflow::consent::policy
