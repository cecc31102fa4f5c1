#pragma once
// Where is the recipient, for quiet hours? Priority (COMPLIANCE.md "Time
// rules"): a known time zone from the request > the NANP area code > the
// country's default zone > the country's restrictive fallback candidates.
// When the place is uncertain the result holds several candidates, and
// QuietHours allows a message only when every candidate allows it.
// Pure functions over immutable tables; thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "lib/sms/phone.h"
#include "services/consent/policy/area_code_table.h"
#include "services/consent/policy/country_zones.h"
#include "services/consent/policy/zone_and_state.h"

namespace smsflow::consent::policy {

enum class ZoneSource {
  kKnown,     // the request's time zone
  kAreaCode,  // NANP area code table
  kCountry,   // the country's default zone
  kFallback,  // the country's (or the unknown-country) restrictive candidates
  kUnknown,   // nothing to go on: no candidates
};
absl::string_view ZoneSourceName(ZoneSource source);  // "known", "area_code", ...

struct RecipientZone {
  // Non-empty unless source == kUnknown. Candidates[0] is the most likely
  // place (the majority zone of a split area code).
  std::vector<ZoneAndState> candidates;
  ZoneSource source = ZoneSource::kUnknown;
  // Why a lower-priority source was used, e.g. the known zone was invalid.
  std::string note;
};

struct ResolveOptions {
  // Split area codes (850 FL: Central and Eastern) add their other zones as
  // candidates: the strictest reading. False keeps only the majority zone.
  bool check_all_zones_of_split_area_codes = true;
};

// `known_zone` is an IANA name from the request (validated here; an invalid
// one is ignored with a note). The state comes from the area code even when
// the zone is known: "the area code presumes the location" for state rules.
RecipientZone ResolveRecipientZone(const sms::PhoneNumber& phone,
                                   const std::optional<std::string>& known_zone,
                                   const AreaCodeTable& area_codes, const CountryZones& countries,
                                   const ResolveOptions& options = {});

}  // namespace smsflow::consent::policy
