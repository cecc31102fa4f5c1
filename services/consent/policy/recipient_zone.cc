#include "services/consent/policy/recipient_zone.h"

#include "absl/strings/str_cat.h"

namespace smsflow::consent::policy {

absl::string_view ZoneSourceName(ZoneSource source) {
  switch (source) {
    case ZoneSource::kKnown:
      return "known";
    case ZoneSource::kAreaCode:
      return "area_code";
    case ZoneSource::kCountry:
      return "country";
    case ZoneSource::kFallback:
      return "fallback";
    case ZoneSource::kUnknown:
      return "unknown";
  }
  return "unknown";
}

RecipientZone ResolveRecipientZone(const sms::PhoneNumber& phone,
                                   const std::optional<std::string>& known_zone,
                                   const AreaCodeTable& area_codes, const CountryZones& countries,
                                   const ResolveOptions& options) {
  RecipientZone out;
  const AreaCodeEntry* area = phone.country_code == 1 && !phone.area_code.empty()
                                  ? area_codes.Find(phone.area_code)
                                  : nullptr;
  const std::string country = area != nullptr ? area->country : phone.region;

  if (known_zone.has_value()) {
    absl::TimeZone tz;
    if (!known_zone->empty() && absl::LoadTimeZone(*known_zone, &tz)) {
      out.source = ZoneSource::kKnown;
      out.candidates.push_back(
          {tz, *known_zone, country, area != nullptr ? area->region : std::string()});
      return out;
    }
    out.note =
        absl::StrCat("known time zone '", *known_zone, "' is not a valid IANA time zone; ignored");
  }

  if (area != nullptr) {
    out.source = ZoneSource::kAreaCode;
    out.candidates.push_back({area->zone, area->zone_name, area->country, area->region});
    if (options.check_all_zones_of_split_area_codes) {
      for (size_t i = 0; i < area->other_zones.size(); ++i) {
        out.candidates.push_back(
            {area->other_zones[i], area->other_zone_names[i], area->country, area->region});
      }
    }
    return out;
  }

  if (const ZoneAndState* def = countries.Default(country); def != nullptr) {
    out.source = ZoneSource::kCountry;
    out.candidates.push_back(*def);
    return out;
  }
  if (const std::vector<ZoneAndState>* fb = countries.Fallback(country); fb != nullptr) {
    out.source = ZoneSource::kFallback;
    out.candidates = *fb;
    return out;
  }
  if (!countries.UnknownCountryFallback().empty()) {
    out.source = ZoneSource::kFallback;
    out.candidates = countries.UnknownCountryFallback();
    return out;
  }
  out.source = ZoneSource::kUnknown;
  if (out.note.empty()) {
    out.note = absl::StrCat("no time zone known for region '", phone.region, "'");
  }
  return out;
}

}  // namespace smsflow::consent::policy
