#include "services/router/rules/time_window.h"

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"

namespace smsflow::router {
namespace {

absl::TimeZone NewYork() {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("America/New_York", &tz));
  return tz;
}

absl::Time At(int y, int mo, int d, int h, int mi, absl::TimeZone tz) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), tz);
}

v1::TimeWindow Window(int start, int end, std::initializer_list<v1::Weekday> days = {}) {
  v1::TimeWindow w;
  w.set_start_minute(start);
  w.set_end_minute(end);
  for (auto d : days) w.add_days(d);
  return w;
}

TEST(TimeWindow, DaytimeWindowIsHalfOpen) {
  const absl::TimeZone tz = NewYork();
  auto w = TimeWindow::Compile(Window(9 * 60, 17 * 60), tz);
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w->Contains(At(2024, 6, 3, 8, 59, tz)));
  EXPECT_TRUE(w->Contains(At(2024, 6, 3, 9, 0, tz)));
  EXPECT_TRUE(w->Contains(At(2024, 6, 3, 16, 59, tz)));
  EXPECT_FALSE(w->Contains(At(2024, 6, 3, 17, 0, tz)));
}

TEST(TimeWindow, CrossesMidnightAndDaysNameTheStartDay) {
  const absl::TimeZone tz = NewYork();
  // Friday 21:00 to Saturday 08:00 only (2024-06-07 is a Friday).
  auto w = TimeWindow::Compile(Window(21 * 60, 8 * 60, {v1::WEEKDAY_FRIDAY}), tz);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->Contains(At(2024, 6, 7, 22, 0, tz)));   // Fri night
  EXPECT_TRUE(w->Contains(At(2024, 6, 8, 2, 0, tz)));    // Sat early, started Fri
  EXPECT_FALSE(w->Contains(At(2024, 6, 8, 8, 0, tz)));   // end is exclusive
  EXPECT_FALSE(w->Contains(At(2024, 6, 8, 22, 0, tz)));  // Sat night: not a start day
  EXPECT_FALSE(w->Contains(At(2024, 6, 7, 2, 0, tz)));   // Fri early: started Thu
}

TEST(TimeWindow, UsesItsOwnZoneOverTheTenants) {
  v1::TimeWindow spec = Window(9 * 60, 17 * 60);
  spec.set_time_zone("Europe/Paris");
  auto w = TimeWindow::Compile(spec, NewYork());
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->Contains(
      absl::FromCivil(absl::CivilMinute(2024, 6, 3, 10, 0), absl::FixedTimeZone(2 * 3600))));
}

TEST(TimeWindow, EqualStartAndEndIsAWholeDay) {
  const absl::TimeZone tz = NewYork();
  auto w = TimeWindow::Compile(Window(0, 0, {v1::WEEKDAY_SATURDAY, v1::WEEKDAY_SUNDAY}), tz);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->Contains(At(2024, 6, 8, 0, 0, tz)));
  EXPECT_TRUE(w->Contains(At(2024, 6, 9, 23, 59, tz)));
  EXPECT_FALSE(w->Contains(At(2024, 6, 10, 12, 0, tz)));
}

TEST(TimeWindow, RejectsBadWindowsNamingTheField) {
  const absl::TimeZone tz = NewYork();
  EXPECT_EQ(std::string(TimeWindow::Compile(Window(0, 1440), tz).status().message()),
            "end_minute: 1440 is not in 0..1439");
  EXPECT_FALSE(TimeWindow::Compile(Window(-1, 10), tz).ok());
  auto dup = TimeWindow::Compile(Window(0, 10, {v1::WEEKDAY_MONDAY, v1::WEEKDAY_MONDAY}), tz);
  EXPECT_EQ(std::string(dup.status().message()).rfind("days[1]:", 0), 0u);
  EXPECT_FALSE(TimeWindow::Compile(Window(0, 10, {v1::WEEKDAY_UNSPECIFIED}), tz).ok());
  v1::TimeWindow zone = Window(0, 10);
  zone.set_time_zone("Mars/Olympus");
  EXPECT_EQ(std::string(TimeWindow::Compile(zone, tz).status().message()).rfind("time_zone:", 0),
            0u);
}

}  // namespace
}  // namespace smsflow::router
