#pragma once
// Quiet-hour rules as data: the allowed local window by default and per region
// (country "GB" or state "US-FL"), and the categories exempt from them. Loaded
// from YAML by policy_config.h; Defaults() is COMPLIANCE.md's strictest
// common reading.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/consent/policy/categories.h"

namespace smsflow::consent::policy {

// An allowed local-time window [start, end), in minutes after local midnight.
// start > end crosses midnight ("22:00-06:00"); "00:00-24:00" is all day.
struct LocalWindow {
  int start_minute = 8 * 60;  // 0..1439
  int end_minute = 21 * 60;   // 1..1440, != start_minute

  bool CrossesMidnight() const { return start_minute > end_minute; }
  bool Contains(int minute_of_day) const {
    return CrossesMidnight() ? (minute_of_day >= start_minute || minute_of_day < end_minute)
                             : (minute_of_day >= start_minute && minute_of_day < end_minute);
  }
  std::string ToString() const;  // "08:00-21:00"
  friend bool operator==(const LocalWindow&, const LocalWindow&) = default;
};

// Parses "HH:MM-HH:MM" (24-hour, end may be "24:00"). INVALID_ARGUMENT says why.
absl::StatusOr<LocalWindow> ParseLocalWindow(absl::string_view text);

struct QuietHoursConfig {
  LocalWindow default_window;  // 08:00-21:00, federal TCPA
  // Region key -> window. Keys are "CC" or "CC-SS" (ISO 3166-1 / 3166-2
  // style); a state rule wins over its country's, which wins over the default.
  std::map<std::string, LocalWindow> region_windows;
  std::vector<Category> exempt_categories;
  // How far ahead CheckWindow looks for the next allowed moment. Daily
  // windows repeat, so 48 h finds any window that exists at all.
  absl::Duration search_horizon = absl::Hours(48);

  // 08:00-21:00; US-FL and US-OK 08:00-20:00; otp, transactional and
  // compliance exempt (COMPLIANCE.md). Conversational is not exempt: a reply
  // outside the window waits, the strictest reading.
  static QuietHoursConfig Defaults();
  // INVALID_ARGUMENT naming the bad field (window bounds, region key format,
  // horizon below 24 h or above 31 days).
  absl::Status Validate() const;
};

}  // namespace smsflow::consent::policy
