#pragma once
// Helpers shared by the policy unit tests.

#include <string>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/consent/policy/zone_and_state.h"

namespace smsflow::consent::policy::testing {

inline absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

inline ZoneAndState Place(const std::string& zone, const std::string& country = "US",
                          const std::string& state = "") {
  return ZoneAndState{Zone(zone), zone, country, state};
}

// Local wall time in `zone`. For a skipped or repeated local time this is
// absl's choice (the pre-transition offset); tests of DST edges use UTC.
inline absl::Time Local(const std::string& zone, int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), Zone(zone));
}

inline absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone());
}

inline std::string Fmt(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %z UTC-based", t, absl::UTCTimeZone());
}

}  // namespace smsflow::consent::policy::testing
