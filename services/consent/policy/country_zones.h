#pragma once
// CountryZones: where a recipient is when only the country of the number is
// known. A country has either one default zone (single-zone countries, and a
// documented majority choice for a few multi-zone ones such as MX and AU) or a
// list of fallback candidates checked together (US, CA: all must allow a
// message, the strictest reading when the area code does not tell). Built
// once at start, immutable afterwards; safe to share between threads.

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/consent/policy/zone_and_state.h"

namespace smsflow::consent::policy {

// A candidate given by names, loaded when added.
struct ZoneSpec {
  std::string zone_name;
  std::string state;  // state rule to apply there, may be empty
};

class CountryZones {
 public:
  CountryZones() = default;  // empty

  // The built-in table (country_zones.cc lists it with the reasons for each
  // multi-zone choice). Fails only when the system zoneinfo lacks a zone.
  static absl::StatusOr<CountryZones> Builtin();

  // INVALID_ARGUMENT for an unknown zone or a country not like "GB".
  absl::Status SetDefault(absl::string_view country, absl::string_view zone_name);
  absl::Status SetFallback(absl::string_view country, const std::vector<ZoneSpec>& candidates);
  // Candidates for a number whose country is unknown or in neither list.
  // Empty by default: such recipients get no time zone (see ResolveRecipientZone).
  absl::Status SetUnknownCountryFallback(const std::vector<ZoneSpec>& candidates);

  const ZoneAndState* Default(absl::string_view country) const;                // nullptr if none
  const std::vector<ZoneAndState>* Fallback(absl::string_view country) const;  // nullptr if none
  const std::vector<ZoneAndState>& UnknownCountryFallback() const { return unknown_; }

 private:
  absl::flat_hash_map<std::string, ZoneAndState> defaults_;
  absl::flat_hash_map<std::string, std::vector<ZoneAndState>> fallbacks_;
  std::vector<ZoneAndState> unknown_;
};

}  // namespace smsflow::consent::policy
