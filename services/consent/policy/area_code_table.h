#pragma once
// AreaCodeTable: NANP area code (NPA) -> time zone and state/province, loaded
// once at start from the tab-separated file data/us_area_code_time_zones.tsv
// (format and sources in its header). Immutable after loading, so it may be
// shared by any number of threads without locking.

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace smsflow::consent::policy {

struct AreaCodeEntry {
  std::string npa;        // "212"
  std::string country;    // "US", "CA", "PR"...
  std::string region;     // state/province: "NY"
  std::string zone_name;  // zone covering most numbers of the code
  absl::TimeZone zone;
  // Other zones found inside the code's area (split codes such as 850 FL:
  // Central with Eastern Tallahassee). Empty for single-zone codes.
  std::vector<std::string> other_zone_names;
  std::vector<absl::TimeZone> other_zones;
  std::string note;
};

class AreaCodeTable {
 public:
  AreaCodeTable() = default;  // empty: every Lookup misses

  // Parses the file at `path`. Errors (INVALID_ARGUMENT, NOT_FOUND for a
  // missing file) name the file and line: a malformed area code, a zone
  // absl::LoadTimeZone does not know, a duplicate code (with both lines).
  static absl::StatusOr<AreaCodeTable> LoadFile(const std::string& path);
  // Same from text; `source` names it in errors.
  static absl::StatusOr<AreaCodeTable> Parse(absl::string_view text, absl::string_view source);

  // "212" -> entry; nullopt for unknown or malformed codes.
  std::optional<AreaCodeEntry> Lookup(absl::string_view area_code) const;
  // Same without copying; the pointer lives as long as the table.
  const AreaCodeEntry* Find(absl::string_view area_code) const;

  size_t size() const { return entries_.size(); }
  size_t CountForCountry(absl::string_view country) const;

 private:
  absl::flat_hash_map<int, AreaCodeEntry> entries_;  // keyed by the NPA as a number
};

}  // namespace smsflow::consent::policy
