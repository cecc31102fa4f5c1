#pragma once
// A compiled v1::TimeWindow: a recurring time-of-day window on some weekdays
// in a time zone. Immutable; thread-safe.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "smsflow/v1/routing_rule.pb.h"

namespace smsflow::router {

class TimeWindow {
 public:
  // Validates and compiles `window`. Rules: start_minute and end_minute in
  // 0..1439; days without duplicates or WEEKDAY_UNSPECIFIED; time_zone, when
  // set, a known IANA zone (else `tenant_zone` is used). start == end means
  // the whole 24 hours from start (so a window with only `days` set covers
  // those days). end < start crosses midnight, and `days` name the day the
  // window starts: Fri 21:00-08:00 also covers Saturday 02:00. On error the
  // message starts with the field ("end_minute: 1440 is not in 0..1439").
  static absl::StatusOr<TimeWindow> Compile(const v1::TimeWindow& window,
                                            absl::TimeZone tenant_zone);

  // True when instant `t` falls inside the window.
  bool Contains(absl::Time t) const;

 private:
  bool StartsOn(absl::Weekday day) const;

  int start_minute_ = 0;
  int end_minute_ = 0;
  uint8_t day_mask_ = 0;  // bit (weekday 0=Mon..6=Sun); 0 means every day
  absl::TimeZone zone_;
};

}  // namespace smsflow::router
