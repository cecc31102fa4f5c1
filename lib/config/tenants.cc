#include "lib/config/tenants.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lib/config/yaml_checks.h"
#include "lib/sms/phone.h"

namespace smsflow::config {
namespace {

using absl::StrCat;

const YamlChecker kCheck("tenants file");

absl::Status Bad(absl::string_view path, absl::string_view why) { return kCheck.Bad(path, why); }

absl::Status OnlyKeys(const YAML::Node& node, absl::string_view path,
                      const std::vector<std::string>& allowed) {
  return kCheck.OnlyKeys(node, path, allowed);
}

absl::Status GetString(const YAML::Node& parent, absl::string_view path, const char* key,
                       bool required, std::string* out) {
  const YAML::Node n = parent[key];
  if (!n) {
    return required ? Bad(StrCat(path, ".", key), "required value is missing") : absl::OkStatus();
  }
  if (!n.IsScalar()) return Bad(StrCat(path, ".", key), "expected a string");
  *out = n.as<std::string>();
  if (required && out->empty()) return Bad(StrCat(path, ".", key), "must not be empty");
  return absl::OkStatus();
}

absl::StatusOr<NumberType> ParseNumberType(absl::string_view path, absl::string_view s) {
  if (s == "long_code") return NumberType::kLongCode;
  if (s == "ten_dlc") return NumberType::kTenDlc;
  if (s == "toll_free") return NumberType::kTollFree;
  if (s == "short_code") return NumberType::kShortCode;
  return Bad(path, StrCat("'", s, "' is not one of long_code, ten_dlc, toll_free, short_code"));
}

bool ValidId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

absl::Status ParseNumber(const YAML::Node& node, const std::string& path, Number* out) {
  if (auto st = OnlyKeys(node, path, {"number", "type", "scope", "rate"}); !st.ok()) return st;
  std::string raw, type = "long_code";
  if (auto st = GetString(node, path, "number", true, &raw); !st.ok()) return st;
  if (auto st = GetString(node, path, "type", false, &type); !st.ok()) return st;
  auto t = ParseNumberType(path + ".type", type);
  if (!t.ok()) return t.status();
  out->type = *t;
  if (out->type == NumberType::kShortCode) {
    if (!sms::IsShortCode(raw))
      return Bad(path + ".number", StrCat("'", raw, "' is not a short code"));
    out->number = raw;
  } else {
    auto e164 = sms::NormalizeE164(raw);
    if (!e164.ok()) return Bad(path + ".number", e164.status().message());
    out->number = *e164;
  }
  if (auto st = GetString(node, path, "scope", false, &out->scope); !st.ok()) return st;
  if (out->scope.empty()) return Bad(path + ".scope", "must not be empty");
  out->rate = DefaultRate(out->type);
  if (const YAML::Node r = node["rate"]) {
    try {
      out->rate = r.as<double>();
    } catch (const YAML::Exception&) {
      return Bad(path + ".rate", "expected a number of segments per second");
    }
    if (!(out->rate > 0)) return Bad(path + ".rate", "must be greater than 0");
  }
  return absl::OkStatus();
}

absl::Status GetStringList(const YAML::Node& parent, const std::string& path, const char* key,
                           std::vector<std::string>* out) {
  const YAML::Node n = parent[key];
  if (!n) return absl::OkStatus();
  const std::string kpath = StrCat(path, ".", key);
  if (!n.IsSequence()) return Bad(kpath, "expected a list of words");
  for (size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar() || n[i].as<std::string>().empty()) {
      return Bad(StrCat(kpath, "[", i, "]"), "expected a non-empty word");
    }
    out->push_back(n[i].as<std::string>());
  }
  return absl::OkStatus();
}

absl::Status ParseKeywords(const YAML::Node& node, const std::string& path, TenantKeywords* out) {
  if (auto st =
          OnlyKeys(node, path, {"opt_out", "opt_in", "help", "removed", "plain_language_opt_out"});
      !st.ok()) {
    return st;
  }
  for (auto [key, list] : {std::pair{"opt_out", &out->opt_out}, std::pair{"opt_in", &out->opt_in},
                           std::pair{"help", &out->help}, std::pair{"removed", &out->removed}}) {
    if (auto st = GetStringList(node, path, key, list); !st.ok()) return st;
  }
  if (const YAML::Node p = node["plain_language_opt_out"]) {
    try {
      out->plain_language_opt_out = p.as<bool>();
    } catch (const YAML::Exception&) {
      return Bad(path + ".plain_language_opt_out", "expected true or false");
    }
  }
  return absl::OkStatus();
}

absl::Status ParseLimits(const YAML::Node& node, const std::string& path, TenantLimits* out) {
  if (auto st = OnlyKeys(node, path, {"rate", "daily_segments"}); !st.ok()) return st;
  if (const YAML::Node r = node["rate"]) {
    try {
      out->rate = r.as<double>();
    } catch (const YAML::Exception&) {
      return Bad(path + ".rate", "expected a number of segments per second");
    }
    if (!(*out->rate > 0)) return Bad(path + ".rate", "must be greater than 0");
  }
  if (const YAML::Node d = node["daily_segments"]) {
    try {
      out->daily_segments = d.as<int64_t>();
    } catch (const YAML::Exception&) {
      return Bad(path + ".daily_segments", "expected a whole number of segments");
    }
    if (*out->daily_segments < 0) return Bad(path + ".daily_segments", "must not be negative");
  }
  return absl::OkStatus();
}

absl::Status ParseTenant(const YAML::Node& node, const std::string& path, Tenant* out) {
  if (auto st = OnlyKeys(node, path,
                         {"id", "name", "time_zone", "webhook_auth_token", "brand", "numbers",
                          "keywords", "limits"});
      !st.ok()) {
    return st;
  }
  if (auto st = GetString(node, path, "id", true, &out->id); !st.ok()) return st;
  if (!ValidId(out->id)) {
    return Bad(path + ".id", StrCat("'", out->id, "' must be 1-64 of [a-z0-9_-]"));
  }
  out->name = out->id;
  if (auto st = GetString(node, path, "name", false, &out->name); !st.ok()) return st;
  if (auto st = GetString(node, path, "time_zone", false, &out->time_zone); !st.ok()) return st;
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(out->time_zone, &tz)) {
    return Bad(path + ".time_zone", StrCat("'", out->time_zone, "' is not a known IANA time zone"));
  }
  if (auto st = GetString(node, path, "webhook_auth_token", false, &out->webhook_auth_token);
      !st.ok()) {
    return st;
  }
  const std::string bpath = path + ".brand";
  const YAML::Node brand = node["brand"];
  if (!brand) return Bad(bpath, "required value is missing");
  if (auto st = OnlyKeys(brand, bpath, {"name", "description", "frequency", "support"}); !st.ok()) {
    return st;
  }
  for (auto [key, field] :
       {std::pair{"name", &out->brand.name}, std::pair{"description", &out->brand.description},
        std::pair{"frequency", &out->brand.frequency}, std::pair{"support", &out->brand.support}}) {
    if (auto st = GetString(brand, bpath, key, true, field); !st.ok()) return st;
  }
  const YAML::Node numbers = node["numbers"];
  if (!numbers) return Bad(path + ".numbers", "required value is missing");
  if (!numbers.IsSequence() || numbers.size() == 0) {
    return Bad(path + ".numbers", "expected a non-empty list");
  }
  for (size_t i = 0; i < numbers.size(); ++i) {
    Number n;
    if (auto st = ParseNumber(numbers[i], StrCat(path, ".numbers[", i, "]"), &n); !st.ok()) {
      return st;
    }
    out->numbers.push_back(std::move(n));
  }
  if (const YAML::Node k = node["keywords"]) {
    if (auto st = ParseKeywords(k, path + ".keywords", &out->keywords); !st.ok()) return st;
  }
  if (const YAML::Node l = node["limits"]) {
    if (auto st = ParseLimits(l, path + ".limits", &out->limits); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view NumberTypeName(NumberType t) {
  switch (t) {
    case NumberType::kLongCode:
      return "long_code";
    case NumberType::kTenDlc:
      return "ten_dlc";
    case NumberType::kTollFree:
      return "toll_free";
    case NumberType::kShortCode:
      return "short_code";
  }
  return "long_code";
}

double DefaultRate(NumberType t) {
  switch (t) {
    case NumberType::kLongCode:
      return 1.0;
    case NumberType::kTenDlc:
      return 3.75;  // lowest 10DLC trust tier; configure the brand's real tier
    case NumberType::kTollFree:
      return 3.0;
    case NumberType::kShortCode:
      return 100.0;
  }
  return 1.0;
}

absl::StatusOr<std::shared_ptr<const TenantDirectory>> TenantDirectory::FromYaml(
    std::string_view yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(StrCat("tenants file: not valid YAML: ", e.what()));
  }
  auto dir = std::make_shared<TenantDirectory>();
  if (!root || root.IsNull()) return Bad("tenants", "required value is missing");
  if (auto st = OnlyKeys(root, "", {"tenants"}); !st.ok()) return st;
  const YAML::Node tenants = root["tenants"];
  if (!tenants || !tenants.IsSequence()) return Bad("tenants", "expected a list of tenants");
  try {
    for (size_t i = 0; i < tenants.size(); ++i) {
      Tenant t;
      const std::string path = StrCat("tenants[", i, "]");
      if (auto st = ParseTenant(tenants[i], path, &t); !st.ok()) return st;
      if (dir->by_id_.contains(t.id))
        return Bad(path + ".id", StrCat("duplicate tenant '", t.id, "'"));
      dir->by_id_[t.id] = dir->tenants_.size();
      for (size_t j = 0; j < t.numbers.size(); ++j) {
        const std::string& num = t.numbers[j].number;
        if (auto it = dir->by_number_.find(num); it != dir->by_number_.end()) {
          return Bad(
              StrCat(path, ".numbers[", j, "].number"),
              StrCat("number already belongs to tenant '",
                     dir->tenants_.size() == it->second.first ? t.id
                                                              : dir->tenants_[it->second.first].id,
                     "'"));
        }
        dir->by_number_[num] = {dir->tenants_.size(), j};
      }
      dir->tenants_.push_back(std::move(t));
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(StrCat("tenants file: ", e.what()));
  }
  return std::shared_ptr<const TenantDirectory>(std::move(dir));
}

absl::StatusOr<std::shared_ptr<const TenantDirectory>> TenantDirectory::FromFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(StrCat("tenants file '", path, "' cannot be read"));
  std::stringstream ss;
  ss << in.rdbuf();
  return FromYaml(ss.str());
}

const Tenant* TenantDirectory::FindTenant(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tenants_[it->second];
}

std::optional<NumberOwner> TenantDirectory::FindNumber(std::string_view number) const {
  auto it = by_number_.find(number);
  if (it == by_number_.end()) return std::nullopt;
  const Tenant& t = tenants_[it->second.first];
  return NumberOwner{&t, &t.numbers[it->second.second]};
}

}  // namespace smsflow::config
