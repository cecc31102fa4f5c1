// Quiet hours across DST changes (US 2026: spring forward Sunday 2026-03-08,
// fall back Sunday 2026-11-01, both at 02:00 local), windows crossing
// midnight, and several candidate zones checked together. Instants are given
// in UTC where the local reading would be ambiguous.
#include "gtest/gtest.h"
#include "services/consent/policy/country_zones.h"
#include "services/consent/policy/quiet_hours.h"
#include "services/consent/policy/tests/test_util.h"

namespace smsflow::consent::policy {
namespace {

using testing::Fmt;
using testing::Local;
using testing::Place;
using testing::Utc;

constexpr char kNy[] = "America/New_York";

QuietHours WithDefaultWindow(const char* window) {
  QuietHoursConfig cfg = QuietHoursConfig::Defaults();
  cfg.default_window = *ParseLocalWindow(window);
  auto q = QuietHours::Create(cfg);
  EXPECT_TRUE(q.ok()) << q.status();
  return *std::move(q);
}

const std::vector<ZoneAndState>& NewYork() {
  static const auto* v = new std::vector<ZoneAndState>{Place(kNy, "US", "NY")};
  return *v;
}

TEST(QuietHoursDstTest, SpringForwardDayKeepsTheLocalWindow) {
  const QuietHours q = WithDefaultWindow("08:00-21:00");
  // Sat 21:30 EST = Sun 02:30 UTC; Sun 08:00 EDT = 12:00 UTC (9.5 h later, not 10.5).
  WindowDecision d = q.CheckWindow(Utc(2026, 3, 8, 2, 30), NewYork(), Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Utc(2026, 3, 8, 12, 0)) << Fmt(d.next_allowed);
  EXPECT_EQ(d.window_end, Utc(2026, 3, 9, 1, 0)) << Fmt(d.window_end);  // 21:00 EDT

  EXPECT_FALSE(q.CheckWindow(Utc(2026, 3, 8, 11, 59), NewYork(), Category::kMarketing).allowed);
  EXPECT_TRUE(q.CheckWindow(Utc(2026, 3, 8, 12, 0), NewYork(), Category::kMarketing).allowed);
  EXPECT_TRUE(q.CheckWindow(Utc(2026, 3, 9, 0, 59), NewYork(), Category::kMarketing).allowed);
  EXPECT_FALSE(q.CheckWindow(Utc(2026, 3, 9, 1, 0), NewYork(), Category::kMarketing).allowed);
  // Local 07:59 / 08:00 read through the zone agree.
  EXPECT_FALSE(
      q.CheckWindow(Local(kNy, 2026, 3, 8, 7, 59), NewYork(), Category::kMarketing).allowed);
  EXPECT_TRUE(q.CheckWindow(Local(kNy, 2026, 3, 8, 8, 0), NewYork(), Category::kMarketing).allowed);
}

TEST(QuietHoursDstTest, FallBackDayKeepsTheLocalWindow) {
  const QuietHours q = WithDefaultWindow("08:00-21:00");
  // Sat 21:30 EDT = Sun 01:30 UTC; Sun 08:00 EST = 13:00 UTC (11.5 h later).
  WindowDecision d = q.CheckWindow(Utc(2026, 11, 1, 1, 30), NewYork(), Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Utc(2026, 11, 1, 13, 0)) << Fmt(d.next_allowed);
  EXPECT_EQ(d.window_end, Utc(2026, 11, 2, 2, 0)) << Fmt(d.window_end);  // 21:00 EST

  EXPECT_FALSE(q.CheckWindow(Utc(2026, 11, 1, 12, 59), NewYork(), Category::kMarketing).allowed);
  EXPECT_TRUE(q.CheckWindow(Utc(2026, 11, 1, 13, 0), NewYork(), Category::kMarketing).allowed);
  EXPECT_TRUE(q.CheckWindow(Utc(2026, 11, 2, 1, 59), NewYork(), Category::kMarketing).allowed);
  EXPECT_FALSE(q.CheckWindow(Utc(2026, 11, 2, 2, 0), NewYork(), Category::kMarketing).allowed);
}

TEST(QuietHoursDstTest, WindowTouchingTheSkippedHour) {
  // 01:30-03:00 on spring-forward day: 01:30-01:59 EST, then local time jumps
  // to 03:00 EDT, already outside. The window lasts 30 real minutes.
  const QuietHours q = WithDefaultWindow("01:30-03:00");
  WindowDecision d = q.CheckWindow(Utc(2026, 3, 8, 5, 0), NewYork(), Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Utc(2026, 3, 8, 6, 30)) << Fmt(d.next_allowed);  // 01:30 EST
  EXPECT_EQ(d.window_end, Utc(2026, 3, 8, 7, 0)) << Fmt(d.window_end);       // the jump
  // 03:10 EDT: closed until 01:30 EDT the next night.
  d = q.CheckWindow(Utc(2026, 3, 8, 7, 10), NewYork(), Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Utc(2026, 3, 9, 5, 30)) << Fmt(d.next_allowed);
}

TEST(QuietHoursDstTest, WindowStartingInsideTheSkippedHourOpensAtTheJump) {
  // 02:30 does not exist on 2026-03-08 in New York; the first instant with a
  // local time inside 02:30-04:00 is 03:00 EDT (07:00 UTC).
  const QuietHours q = WithDefaultWindow("02:30-04:00");
  WindowDecision d = q.CheckWindow(Utc(2026, 3, 8, 6, 0), NewYork(), Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Utc(2026, 3, 8, 7, 0)) << Fmt(d.next_allowed);
  EXPECT_EQ(d.window_end, Utc(2026, 3, 8, 8, 0)) << Fmt(d.window_end);  // 04:00 EDT
}

TEST(QuietHoursDstTest, WindowInsideTheRepeatedHourOpensTwice) {
  // 01:30-03:00 on fall-back day: open 01:30-02:00 EDT (05:30-06:00 UTC),
  // closed while the clock reads 01:00-01:29 EST, open again 01:30-03:00 EST.
  const QuietHours q = WithDefaultWindow("01:30-03:00");
  WindowDecision d = q.CheckWindow(Utc(2026, 11, 1, 4, 0), NewYork(), Category::kMarketing);
  EXPECT_EQ(d.next_allowed, Utc(2026, 11, 1, 5, 30)) << Fmt(d.next_allowed);
  EXPECT_EQ(d.window_end, Utc(2026, 11, 1, 6, 0)) << Fmt(d.window_end);

  d = q.CheckWindow(Utc(2026, 11, 1, 6, 10), NewYork(), Category::kMarketing);  // 01:10 EST
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Utc(2026, 11, 1, 6, 30)) << Fmt(d.next_allowed);
  EXPECT_EQ(d.window_end, Utc(2026, 11, 1, 8, 0)) << Fmt(d.window_end);
}

TEST(QuietHoursDstTest, WindowCrossingMidnight) {
  const QuietHours q = WithDefaultWindow("22:00-06:00");
  WindowDecision d = q.CheckWindow(Local(kNy, 2026, 6, 10, 23, 0), NewYork(), Category::kMarketing);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.window_end, Local(kNy, 2026, 6, 11, 6, 0));
  d = q.CheckWindow(Local(kNy, 2026, 6, 11, 5, 59), NewYork(), Category::kMarketing);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.window_end, Local(kNy, 2026, 6, 11, 6, 0));
  d = q.CheckWindow(Local(kNy, 2026, 6, 11, 6, 0), NewYork(), Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Local(kNy, 2026, 6, 11, 22, 0));
  EXPECT_FALSE(
      q.CheckWindow(Local(kNy, 2026, 6, 11, 21, 59), NewYork(), Category::kMarketing).allowed);
  EXPECT_TRUE(
      q.CheckWindow(Local(kNy, 2026, 6, 11, 0, 0), NewYork(), Category::kMarketing).allowed);
}

TEST(QuietHoursDstTest, WindowCrossingMidnightOverSpringForward) {
  // Sat 22:00 EST (03:00 UTC) to Sun 06:00 EDT (10:00 UTC): 7 real hours.
  const QuietHours q = WithDefaultWindow("22:00-06:00");
  WindowDecision d = q.CheckWindow(Utc(2026, 3, 8, 3, 0), NewYork(), Category::kMarketing);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.window_end, Utc(2026, 3, 8, 10, 0)) << Fmt(d.window_end);
}

TEST(QuietHoursDstTest, AllDayWindowNeverCloses) {
  const QuietHours q = WithDefaultWindow("00:00-24:00");
  WindowDecision d = q.CheckWindow(Utc(2026, 3, 8, 7, 0), NewYork(), Category::kMarketing);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.window_end, absl::InfiniteFuture());
}

TEST(QuietHoursDstTest, UnknownUsNumberAllowedOnlyWhereEveryContinentalZoneAllows) {
  auto countries = CountryZones::Builtin();
  ASSERT_TRUE(countries.ok()) << countries.status();
  const std::vector<ZoneAndState>& us = *countries->Fallback("US");
  auto q = QuietHours::Create(QuietHoursConfig::Defaults());
  ASSERT_TRUE(q.ok());
  // 08:00 Pacific = 11:00 Eastern opens it; FL's 20:00 Eastern closes it.
  WindowDecision d = q->CheckWindow(Local(kNy, 2026, 7, 1, 10, 59), us, Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Local(kNy, 2026, 7, 1, 11, 0)) << Fmt(d.next_allowed);
  EXPECT_EQ(d.window_end, Local(kNy, 2026, 7, 1, 20, 0)) << Fmt(d.window_end);
  EXPECT_TRUE(q->CheckWindow(Local(kNy, 2026, 7, 1, 19, 59), us, Category::kMarketing).allowed);
  d = q->CheckWindow(Local(kNy, 2026, 7, 1, 20, 0), us, Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, Local(kNy, 2026, 7, 2, 11, 0)) << Fmt(d.next_allowed);
  // 09:00 Eastern is fine in New York but 06:00 in Los Angeles.
  EXPECT_FALSE(q->CheckWindow(Local(kNy, 2026, 7, 1, 9, 0), us, Category::kMarketing).allowed);
}

TEST(QuietHoursDstTest, CandidatesWithoutStateRulesAndPhoenix) {
  auto q = QuietHours::Create(QuietHoursConfig::Defaults());
  ASSERT_TRUE(q.ok());
  const std::vector<ZoneAndState> c = {Place(kNy), Place("America/Phoenix")};
  // Summer: Phoenix (MST) = Pacific time, 3 h behind New York: 11:00-21:00 ET.
  WindowDecision d = q->CheckWindow(Local(kNy, 2026, 7, 1, 9, 0), c, Category::kMarketing);
  EXPECT_EQ(d.next_allowed, Local(kNy, 2026, 7, 1, 11, 0)) << Fmt(d.next_allowed);
  EXPECT_EQ(d.window_end, Local(kNy, 2026, 7, 1, 21, 0)) << Fmt(d.window_end);
  // Winter: Phoenix = Mountain, 2 h behind: 10:00-21:00 ET.
  d = q->CheckWindow(Local(kNy, 2026, 1, 14, 9, 0), c, Category::kMarketing);
  EXPECT_EQ(d.next_allowed, Local(kNy, 2026, 1, 14, 10, 0)) << Fmt(d.next_allowed);
}

TEST(QuietHoursDstTest, CandidatesWithNoCommonWindowExpire) {
  const QuietHours q = WithDefaultWindow("08:00-09:00");
  const std::vector<ZoneAndState> c = {Place(kNy), Place("America/Los_Angeles")};
  const absl::Time now = Local(kNy, 2026, 7, 1, 12, 0);
  WindowDecision d = q.CheckWindow(now, c, Category::kMarketing);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.next_allowed, absl::InfiniteFuture());
  EXPECT_EQ(q.Decide(now, now + absl::Hours(72), c, Category::kMarketing).action,
            DeferralAction::kExpire);
}

// Brute force around both 2026 DST changes, for several windows and for the
// unknown-US candidates plus a single zone: CheckWindow must agree with
// "every candidate's local minute lies in its window" minute by minute, and
// next_allowed / window_end must be the first minute where that flips.
TEST(QuietHoursDstTest, AgreesWithMinuteByMinuteBruteForce) {
  auto countries = CountryZones::Builtin();
  ASSERT_TRUE(countries.ok());
  const std::vector<std::vector<ZoneAndState>> candidate_sets = {
      *countries->Fallback("US"), NewYork(), {Place("America/Denver"), Place("Europe/London")}};
  for (const char* window : {"08:00-21:00", "22:00-06:00", "01:30-03:00", "02:30-04:00"}) {
    const QuietHours q = WithDefaultWindow(window);
    for (const auto& candidates : candidate_sets) {
      auto brute = [&](absl::Time t) {
        for (const auto& c : candidates) {
          const absl::CivilMinute m = absl::ToCivilMinute(t, c.zone);
          if (!q.WindowFor(c).Contains(m.hour() * 60 + m.minute())) return false;
        }
        return true;
      };
      auto first_where = [&](absl::Time t, bool want) {
        for (int i = 0; i < 48 * 60; ++i, t += absl::Minutes(1)) {
          if (brute(t) == want) return t;
        }
        return absl::InfiniteFuture();
      };
      for (absl::Time day : {Utc(2026, 3, 7, 0, 0), Utc(2026, 10, 31, 0, 0)}) {
        for (absl::Time t = day; t < day + absl::Hours(60); t += absl::Minutes(13)) {
          SCOPED_TRACE(std::string(window) + " " + candidates[0].zone_name + " at " + Fmt(t));
          const WindowDecision d = q.CheckWindow(t, candidates, Category::kMarketing);
          ASSERT_EQ(d.allowed, brute(t));
          const absl::Time open = first_where(t, true);
          ASSERT_EQ(d.next_allowed, open) << Fmt(d.next_allowed);
          if (open != absl::InfiniteFuture()) {
            const absl::Time close = first_where(open, false);
            if (close != absl::InfiniteFuture()) {
              ASSERT_EQ(d.window_end, close) << Fmt(d.window_end);
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace smsflow::consent::policy
