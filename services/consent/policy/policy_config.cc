#include "services/consent/policy/policy_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/config/yaml_checks.h"

namespace smsflow::consent::policy {
namespace {

const config::YamlChecker kCheck("policy config");

absl::Status Bad(absl::string_view path, absl::string_view why) { return kCheck.Bad(path, why); }

absl::Status OnlyKeys(const YAML::Node& node, absl::string_view path,
                      const std::vector<std::string>& allowed) {
  return kCheck.OnlyKeys(node, path, allowed);
}

template <typename T>
absl::Status GetScalar(const YAML::Node& parent, const std::string& path, const char* key, T* out) {
  const YAML::Node n = parent[key];
  if (!n) return absl::OkStatus();
  try {
    if (!n.IsScalar()) throw YAML::Exception(YAML::Mark(), "not a scalar");
    *out = n.as<T>();
  } catch (const YAML::Exception&) {
    return Bad(absl::StrCat(path, path.empty() ? "" : ".", key),
               "expected a scalar of the right type");
  }
  return absl::OkStatus();
}

absl::Status GetWindow(const YAML::Node& n, const std::string& path, LocalWindow* out) {
  if (!n.IsScalar()) return Bad(path, "expected a window like \"08:00-21:00\"");
  auto w = ParseLocalWindow(n.as<std::string>());
  if (!w.ok()) return Bad(path, std::string(w.status().message()));
  *out = *w;
  return absl::OkStatus();
}

absl::Status ParseQuietHours(const YAML::Node& node, QuietHoursConfig* q) {
  const std::string path = "quiet_hours";
  if (auto st =
          OnlyKeys(node, path, {"default", "regions", "exempt_categories", "search_horizon_hours"});
      !st.ok()) {
    return st;
  }
  if (node["default"]) {
    if (auto st = GetWindow(node["default"], path + ".default", &q->default_window); !st.ok()) {
      return st;
    }
  }
  if (const YAML::Node regions = node["regions"]) {
    if (!regions.IsMap()) return Bad(path + ".regions", "expected a mapping of region: window");
    q->region_windows.clear();
    for (const auto& kv : regions) {
      const std::string key = kv.first.as<std::string>();
      if (auto st = GetWindow(kv.second, path + ".regions." + key, &q->region_windows[key]);
          !st.ok()) {
        return st;
      }
    }
  }
  if (const YAML::Node ex = node["exempt_categories"]) {
    if (!ex.IsSequence()) return Bad(path + ".exempt_categories", "expected a list");
    q->exempt_categories.clear();
    for (size_t i = 0; i < ex.size(); ++i) {
      const std::string item_path = absl::StrCat(path, ".exempt_categories[", i, "]");
      if (!ex[i].IsScalar()) return Bad(item_path, "expected a category name");
      const std::string name = ex[i].as<std::string>();
      auto c = ParseCategory(name);
      if (!c) {
        return Bad(item_path, absl::StrCat("'", name,
                                           "' is not one of otp, transactional, conversational, "
                                           "marketing, compliance"));
      }
      q->exempt_categories.push_back(*c);
    }
  }
  double hours = absl::ToDoubleHours(q->search_horizon);
  if (auto st = GetScalar(node, path, "search_horizon_hours", &hours); !st.ok()) return st;
  q->search_horizon = absl::Hours(hours);
  return q->Validate();
}

absl::Status ParseConsent(const YAML::Node& node, ConsentRulesConfig* c) {
  const std::string path = "consent";
  if (auto st = OnlyKeys(node, path, {"implied_window_hours", "otp_request_window_minutes"});
      !st.ok()) {
    return st;
  }
  double implied = absl::ToDoubleHours(c->implied_window);
  double otp = absl::ToDoubleMinutes(c->otp_request_window);
  if (auto st = GetScalar(node, path, "implied_window_hours", &implied); !st.ok()) return st;
  if (auto st = GetScalar(node, path, "otp_request_window_minutes", &otp); !st.ok()) return st;
  if (!(implied > 0)) return Bad(path + ".implied_window_hours", "must be greater than 0");
  if (!(otp > 0)) return Bad(path + ".otp_request_window_minutes", "must be greater than 0");
  c->implied_window = absl::Hours(implied);
  c->otp_request_window = absl::Minutes(otp);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PolicyConfig> ParsePolicyYaml(absl::string_view yaml_text) {
  PolicyConfig cfg;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("policy config: not valid YAML: ", e.what()));
  }
  if (root.IsNull()) return cfg;
  if (auto st = OnlyKeys(root, "", {"area_code_table", "quiet_hours", "consent", "zones"});
      !st.ok()) {
    return st;
  }
  if (auto st = GetScalar(root, "", "area_code_table", &cfg.area_code_table); !st.ok()) return st;
  if (const YAML::Node q = root["quiet_hours"]) {
    if (auto st = ParseQuietHours(q, &cfg.quiet_hours); !st.ok()) return st;
  }
  if (const YAML::Node c = root["consent"]) {
    if (auto st = ParseConsent(c, &cfg.consent); !st.ok()) return st;
  }
  if (const YAML::Node z = root["zones"]) {
    if (auto st = OnlyKeys(z, "zones", {"check_all_zones_of_split_area_codes"}); !st.ok()) {
      return st;
    }
    if (auto st = GetScalar(z, "zones", "check_all_zones_of_split_area_codes",
                            &cfg.zones.check_all_zones_of_split_area_codes);
        !st.ok()) {
      return st;
    }
  }
  return cfg;
}

absl::StatusOr<PolicyConfig> LoadPolicyYamlFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("policy config ", path, ": cannot open file"));
  std::stringstream buf;
  buf << in.rdbuf();
  auto cfg = ParsePolicyYaml(buf.str());
  if (!cfg.ok()) {
    return absl::Status(cfg.status().code(),
                        absl::StrCat(path, ": ", std::string(cfg.status().message())));
  }
  return cfg;
}

}  // namespace smsflow::consent::policy
