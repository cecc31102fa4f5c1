#include "services/consent/policy/quiet_hours_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace smsflow::consent::policy {
namespace {

// "HH:MM" -> minutes, -1 if malformed. Accepts 24:00 only when allow_24.
int ParseClock(absl::string_view s, bool allow_24) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4}) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) return -1;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59) return -1;
  if (h == 24 && m == 0 && allow_24) return 1440;
  if (h > 23) return -1;
  return h * 60 + m;
}

bool ValidRegionKey(absl::string_view k) {
  auto upper2 = [](absl::string_view s) {
    return s.size() == 2 && absl::ascii_isupper(static_cast<unsigned char>(s[0])) &&
           absl::ascii_isupper(static_cast<unsigned char>(s[1]));
  };
  if (k.size() == 2) return upper2(k);
  if (k.size() < 4 || k.size() > 6 || k[2] != '-') return false;
  for (char c : k.substr(3)) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return upper2(k.substr(0, 2));
}

absl::Status CheckWindow(const LocalWindow& w, absl::string_view field) {
  const bool ok = w.start_minute >= 0 && w.start_minute < 1440 && w.end_minute > 0 &&
                  w.end_minute <= 1440 && w.start_minute != w.end_minute;
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(field, ": window ", w.start_minute, "-",
                                                 w.end_minute, " (minutes) is not valid"));
}

}  // namespace

std::string LocalWindow::ToString() const {
  // By hand: this runs on every quiet-hours decision, for the evidence.
  char buf[11];
  auto put = [](char* out, int minutes) {
    out[0] = static_cast<char>('0' + minutes / 600);
    out[1] = static_cast<char>('0' + minutes / 60 % 10);
    out[2] = ':';
    out[3] = static_cast<char>('0' + minutes % 60 / 10);
    out[4] = static_cast<char>('0' + minutes % 10);
  };
  put(buf, start_minute);
  buf[5] = '-';
  put(buf + 6, end_minute);
  return std::string(buf, 11);
}

absl::StatusOr<LocalWindow> ParseLocalWindow(absl::string_view text) {
  const absl::string_view t = absl::StripAsciiWhitespace(text);
  const size_t dash = t.find('-');
  if (dash == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat("'", t, "' is not a window like 08:00-21:00"));
  }
  const int start = ParseClock(absl::StripAsciiWhitespace(t.substr(0, dash)), false);
  const int end = ParseClock(absl::StripAsciiWhitespace(t.substr(dash + 1)), true);
  if (start < 0 || end < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", t, "' is not a window like 08:00-21:00 (HH:MM-HH:MM, 24-hour)"));
  }
  if (start == end) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", t, "' is empty or ambiguous; use 00:00-24:00 for all day"));
  }
  return LocalWindow{start, end};
}

QuietHoursConfig QuietHoursConfig::Defaults() {
  QuietHoursConfig c;
  c.default_window = {8 * 60, 21 * 60};
  c.region_windows = {{"US-FL", {8 * 60, 20 * 60}}, {"US-OK", {8 * 60, 20 * 60}}};
  c.exempt_categories = {Category::kOtp, Category::kTransactional, Category::kCompliance};
  return c;
}

absl::Status QuietHoursConfig::Validate() const {
  if (auto st = CheckWindow(default_window, "quiet_hours.default"); !st.ok()) return st;
  for (const auto& [key, w] : region_windows) {
    if (!ValidRegionKey(key)) {
      return absl::InvalidArgumentError(
          absl::StrCat("quiet_hours.regions.", key, ": region key must be like 'GB' or 'US-FL'"));
    }
    if (auto st = CheckWindow(w, absl::StrCat("quiet_hours.regions.", key)); !st.ok()) return st;
  }
  if (search_horizon < absl::Hours(24) || search_horizon > absl::Hours(24 * 31)) {
    return absl::InvalidArgumentError(
        "quiet_hours.search_horizon_hours: must be between 24 and 744");
  }
  return absl::OkStatus();
}

}  // namespace smsflow::consent::policy
