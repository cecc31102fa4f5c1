#include "services/router/rules/time_window.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace smsflow::router {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

// absl::Weekday counts Monday = 0; v1::Weekday counts Monday = 1.
int Bit(absl::Weekday day) { return static_cast<int>(day); }

}  // namespace

absl::StatusOr<TimeWindow> TimeWindow::Compile(const v1::TimeWindow& window,
                                               absl::TimeZone tenant_zone) {
  TimeWindow out;
  if (window.start_minute() < 0 || window.start_minute() >= kMinutesPerDay) {
    return absl::InvalidArgumentError(
        absl::StrCat("start_minute: ", window.start_minute(), " is not in 0..1439"));
  }
  if (window.end_minute() < 0 || window.end_minute() >= kMinutesPerDay) {
    return absl::InvalidArgumentError(
        absl::StrCat("end_minute: ", window.end_minute(), " is not in 0..1439"));
  }
  out.start_minute_ = window.start_minute();
  out.end_minute_ = window.end_minute();
  for (int i = 0; i < window.days_size(); ++i) {
    const int day = window.days(i);
    if (day < v1::WEEKDAY_MONDAY || day > v1::WEEKDAY_SUNDAY) {
      return absl::InvalidArgumentError(absl::StrCat("days[", i, "]: not a weekday (", day, ")"));
    }
    const uint8_t bit = static_cast<uint8_t>(1u << (day - 1));
    if (out.day_mask_ & bit) {
      return absl::InvalidArgumentError(
          absl::StrCat("days[", i, "]: ", v1::Weekday_Name(window.days(i)), " is listed twice"));
    }
    out.day_mask_ |= bit;
  }
  out.zone_ = tenant_zone;
  if (!window.time_zone().empty() && !absl::LoadTimeZone(window.time_zone(), &out.zone_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: unknown time zone '", window.time_zone(), "'"));
  }
  return out;
}

bool TimeWindow::StartsOn(absl::Weekday day) const {
  return day_mask_ == 0 || (day_mask_ & (1u << Bit(day))) != 0;
}

bool TimeWindow::Contains(absl::Time t) const {
  const absl::CivilSecond local = absl::ToCivilSecond(t, zone_);
  const int minute = local.hour() * 60 + local.minute();
  const absl::CivilDay today = absl::CivilDay(local);
  const absl::Weekday weekday = absl::GetWeekday(today);
  const absl::Weekday yesterday = absl::GetWeekday(today - 1);
  if (start_minute_ < end_minute_) {
    return minute >= start_minute_ && minute < end_minute_ && StartsOn(weekday);
  }
  // Crosses midnight (or start == end: a full 24 hours from start): the part
  // after start belongs to a window that started today, the part before end
  // to one that started yesterday.
  if (minute >= start_minute_) return StartsOn(weekday);
  return minute < end_minute_ && StartsOn(yesterday);
}

}  // namespace smsflow::router
