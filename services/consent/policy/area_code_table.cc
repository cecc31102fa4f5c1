#include "services/consent/policy/area_code_table.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace smsflow::consent::policy {
namespace {

// -1 unless `s` is a NANP area code: NXX with N in 2-9, not an N11 service code.
int ParseNpa(absl::string_view s) {
  if (s.size() != 3) return -1;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
  }
  if (s[0] < '2' || (s[1] == '1' && s[2] == '1')) return -1;
  return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

bool IsUpperCode(absl::string_view s) {
  if (s.size() != 2) return false;
  return absl::ascii_isupper(static_cast<unsigned char>(s[0])) &&
         absl::ascii_isupper(static_cast<unsigned char>(s[1]));
}

}  // namespace

absl::StatusOr<AreaCodeTable> AreaCodeTable::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("area code table ", path, ": cannot open file"));
  std::stringstream buf;
  buf << in.rdbuf();
  return Parse(buf.str(), path);
}

absl::StatusOr<AreaCodeTable> AreaCodeTable::Parse(absl::string_view text,
                                                   absl::string_view source) {
  AreaCodeTable table;
  absl::flat_hash_map<int, int> line_of;  // npa -> line it was defined on
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (absl::StripAsciiWhitespace(line).empty() || line.front() == '#') continue;
    auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("area code table ", source, ":", line_no, ": ", why));
    };
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f.size() < 4 || f.size() > 6) {
      return bad(
          absl::StrCat("expected 4 to 6 tab-separated columns "
                       "(npa, country, region, time_zone[, other_zones[, note]]), got ",
                       f.size()));
    }
    const int npa = ParseNpa(f[0]);
    if (npa < 0) return bad(absl::StrCat("'", f[0], "' is not a NANP area code (NXX, not N11)"));
    if (auto it = line_of.find(npa); it != line_of.end()) {
      return bad(absl::StrCat("duplicate area code ", f[0], " (first on line ", it->second, ")"));
    }
    if (!IsUpperCode(f[1])) return bad(absl::StrCat("country '", f[1], "' is not like 'US'"));
    if (!IsUpperCode(f[2])) return bad(absl::StrCat("region '", f[2], "' is not like 'NY'"));
    AreaCodeEntry e;
    e.npa = std::string(f[0]);
    e.country = std::string(f[1]);
    e.region = std::string(f[2]);
    e.zone_name = std::string(f[3]);
    if (!absl::LoadTimeZone(e.zone_name, &e.zone)) {
      return bad(absl::StrCat("time zone '", f[3], "' is not known to absl::LoadTimeZone"));
    }
    if (f.size() >= 5 && !f[4].empty()) {
      for (absl::string_view z : absl::StrSplit(f[4], ',')) {
        absl::TimeZone tz;
        if (!absl::LoadTimeZone(z, &tz)) {
          return bad(absl::StrCat("other zone '", z, "' is not known to absl::LoadTimeZone"));
        }
        if (z == e.zone_name) return bad(absl::StrCat("other zone '", z, "' repeats time_zone"));
        e.other_zone_names.emplace_back(z);
        e.other_zones.push_back(tz);
      }
    }
    if (f.size() == 6) e.note = std::string(f[5]);
    line_of[npa] = line_no;
    table.entries_.emplace(npa, std::move(e));
  }
  if (table.entries_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("area code table ", source, ": no entries"));
  }
  return table;
}

const AreaCodeEntry* AreaCodeTable::Find(absl::string_view area_code) const {
  const int npa = ParseNpa(area_code);
  if (npa < 0) return nullptr;
  auto it = entries_.find(npa);
  return it == entries_.end() ? nullptr : &it->second;
}

std::optional<AreaCodeEntry> AreaCodeTable::Lookup(absl::string_view area_code) const {
  const AreaCodeEntry* e = Find(area_code);
  if (e == nullptr) return std::nullopt;
  return *e;
}

size_t AreaCodeTable::CountForCountry(absl::string_view country) const {
  size_t n = 0;
  for (const auto& [npa, e] : entries_) n += e.country == country ? 1 : 0;
  return n;
}

}  // namespace smsflow::consent::policy
