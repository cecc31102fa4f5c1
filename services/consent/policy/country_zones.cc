#include "services/consent/policy/country_zones.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace smsflow::consent::policy {
namespace {

absl::StatusOr<ZoneAndState> Load(absl::string_view country, const ZoneSpec& spec) {
  ZoneAndState z;
  if (!absl::LoadTimeZone(spec.zone_name, &z.zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("country zones: '", spec.zone_name, "' is not a known IANA time zone"));
  }
  z.zone_name = spec.zone_name;
  z.country = std::string(country);
  z.state = spec.state;
  return z;
}

absl::Status CheckCountry(absl::string_view country) {
  if (country.size() == 2 && absl::ascii_isupper(static_cast<unsigned char>(country[0])) &&
      absl::ascii_isupper(static_cast<unsigned char>(country[1]))) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("country zones: '", country, "' is not an ISO 3166-1 code like 'GB'"));
}

// Single-zone countries, and a few multi-zone ones with the zone holding most
// of the population (the note says what the choice leaves out).
struct DefaultRow {
  const char* country;
  const char* zone;
};
constexpr DefaultRow kDefaults[] = {
    {"GB", "Europe/London"},
    {"IE", "Europe/Dublin"},
    {"DE", "Europe/Berlin"},
    {"FR", "Europe/Paris"},   // metropolitan France; overseas departments have own codes
    {"ES", "Europe/Madrid"},  // Canary Islands (Atlantic/Canary) are one hour behind
    {"PT", "Europe/Lisbon"},  // Azores one hour behind
    {"IT", "Europe/Rome"},
    {"NL", "Europe/Amsterdam"},
    {"BE", "Europe/Brussels"},
    {"LU", "Europe/Luxembourg"},
    {"CH", "Europe/Zurich"},
    {"AT", "Europe/Vienna"},
    {"DK", "Europe/Copenhagen"},
    {"SE", "Europe/Stockholm"},
    {"NO", "Europe/Oslo"},
    {"FI", "Europe/Helsinki"},
    {"PL", "Europe/Warsaw"},
    {"CZ", "Europe/Prague"},
    {"SK", "Europe/Bratislava"},
    {"HU", "Europe/Budapest"},
    {"RO", "Europe/Bucharest"},
    {"BG", "Europe/Sofia"},
    {"GR", "Europe/Athens"},
    {"HR", "Europe/Zagreb"},
    {"TR", "Europe/Istanbul"},
    {"IL", "Asia/Jerusalem"},
    {"AE", "Asia/Dubai"},
    {"SA", "Asia/Riyadh"},
    {"IN", "Asia/Kolkata"},
    {"PK", "Asia/Karachi"},
    {"BD", "Asia/Dhaka"},
    {"SG", "Asia/Singapore"},
    {"MY", "Asia/Kuala_Lumpur"},
    {"TH", "Asia/Bangkok"},
    {"VN", "Asia/Ho_Chi_Minh"},
    {"PH", "Asia/Manila"},
    {"HK", "Asia/Hong_Kong"},
    {"CN", "Asia/Shanghai"},
    {"TW", "Asia/Taipei"},
    {"JP", "Asia/Tokyo"},
    {"KR", "Asia/Seoul"},
    {"ID", "Asia/Jakarta"},      // Java and Sumatra; Makassar (+8) and Jayapura (+9) not covered
    {"AU", "Australia/Sydney"},  // NSW/VIC/ACT/TAS share it; Brisbane (no DST), Adelaide,
                                 // Perth (-2/-3 h) differ: tenants with AU volume should
                                 // pass the recipient's zone
    {"NZ", "Pacific/Auckland"},  // Chatham Islands +0:45 not covered
    {"ZA", "Africa/Johannesburg"},
    {"NG", "Africa/Lagos"},
    {"KE", "Africa/Nairobi"},
    {"EG", "Africa/Cairo"},
    {"MA", "Africa/Casablanca"},
    {"MX", "America/Mexico_City"},  // central zone, most of the population; Baja California
                                    // (Tijuana), Sonora, Chihuahua and Quintana Roo differ
    {"BR", "America/Sao_Paulo"},    // Brasilia time: SE, S, most of NE; Amazonas -1 h
    {"AR", "America/Argentina/Buenos_Aires"},
    {"CL", "America/Santiago"},
    {"CO", "America/Bogota"},
    {"PE", "America/Lima"},
    {"VE", "America/Caracas"},
    {"RU", "Europe/Moscow"},  // European Russia; Siberia and the Far East differ by 2-9 h
    {"UA", "Europe/Kyiv"},
    // NANP countries outside US/CA (libphonenumber gives them their own region).
    {"PR", "America/Puerto_Rico"},
    {"VI", "America/St_Thomas"},
    {"GU", "Pacific/Guam"},
    {"MP", "Pacific/Saipan"},
    {"AS", "Pacific/Pago_Pago"},
    {"JM", "America/Jamaica"},
    {"BS", "America/Nassau"},
    {"DO", "America/Santo_Domingo"},
    {"TT", "America/Port_of_Spain"},
    {"BB", "America/Barbados"},
    {"BM", "Atlantic/Bermuda"},
};

}  // namespace

absl::StatusOr<CountryZones> CountryZones::Builtin() {
  CountryZones cz;
  for (const DefaultRow& row : kDefaults) {
    if (auto st = cz.SetDefault(row.country, row.zone); !st.ok()) return st;
  }
  // Unknown location inside the US: the four continental zones, with the
  // stricter FL (Eastern, Central panhandle) and OK (Central) rules standing in
  // for the states we cannot exclude. Alaska and Hawaii numbers have single
  // area codes (907, 808) and so never get here. Combined, the allowed window
  // is 11:00-20:00 Eastern.
  if (auto st = cz.SetFallback("US", {{"America/New_York", "FL"},
                                      {"America/Chicago", "OK"},
                                      {"America/Denver", ""},
                                      {"America/Los_Angeles", ""}});
      !st.ok()) {
    return st;
  }
  // Canada from Newfoundland to the Pacific (no province rules by default).
  if (auto st = cz.SetFallback("CA", {{"America/St_Johns", ""},
                                      {"America/Halifax", ""},
                                      {"America/Toronto", ""},
                                      {"America/Winnipeg", ""},
                                      {"America/Edmonton", ""},
                                      {"America/Vancouver", ""}});
      !st.ok()) {
    return st;
  }
  return cz;
}

absl::Status CountryZones::SetDefault(absl::string_view country, absl::string_view zone_name) {
  if (auto st = CheckCountry(country); !st.ok()) return st;
  auto z = Load(country, {std::string(zone_name), ""});
  if (!z.ok()) return z.status();
  defaults_[country] = *std::move(z);
  return absl::OkStatus();
}

absl::Status CountryZones::SetFallback(absl::string_view country,
                                       const std::vector<ZoneSpec>& candidates) {
  if (auto st = CheckCountry(country); !st.ok()) return st;
  if (candidates.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("country zones: fallback for ", country, " has no candidates"));
  }
  std::vector<ZoneAndState> loaded;
  for (const ZoneSpec& spec : candidates) {
    auto z = Load(country, spec);
    if (!z.ok()) return z.status();
    loaded.push_back(*std::move(z));
  }
  fallbacks_[country] = std::move(loaded);
  return absl::OkStatus();
}

absl::Status CountryZones::SetUnknownCountryFallback(const std::vector<ZoneSpec>& candidates) {
  std::vector<ZoneAndState> loaded;
  for (const ZoneSpec& spec : candidates) {
    auto z = Load("", spec);
    if (!z.ok()) return z.status();
    loaded.push_back(*std::move(z));
  }
  unknown_ = std::move(loaded);
  return absl::OkStatus();
}

const ZoneAndState* CountryZones::Default(absl::string_view country) const {
  auto it = defaults_.find(country);
  return it == defaults_.end() ? nullptr : &it->second;
}

const std::vector<ZoneAndState>* CountryZones::Fallback(absl::string_view country) const {
  auto it = fallbacks_.find(country);
  return it == fallbacks_.end() ? nullptr : &it->second;
}

}  // namespace smsflow::consent::policy
