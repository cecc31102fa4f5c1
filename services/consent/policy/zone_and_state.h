#pragma once
// One place a recipient may be: a loaded time zone plus the country and
// state/province whose quiet-hour rule applies there. Cheap to copy
// (absl::TimeZone is a pointer to cctz's immutable, process-wide zone data).

#include <string>

#include "absl/time/time.h"

namespace smsflow::consent::policy {

struct ZoneAndState {
  absl::TimeZone zone;
  std::string zone_name;  // IANA name, "America/New_York"
  std::string country;    // ISO 3166-1 alpha-2, "US"; empty when unknown
  std::string state;      // state/province code, "FL"; empty when unknown

  // "US-FL" when the state is known, else "US", else "".
  std::string RegionKey() const { return state.empty() ? country : country + "-" + state; }
};

}  // namespace smsflow::consent::policy
