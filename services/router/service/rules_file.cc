#include "services/router/service/rules_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/router/rules/rules_yaml.h"

namespace smsflow::router {
namespace {

absl::Status Bad(const std::string& path, std::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", std::string(problem)));
}

absl::StatusOr<std::string> ScalarString(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) return Bad(path, "must be a string");
  return node.Scalar();
}

absl::Status ParseTenant(const YAML::Node& node, const std::string& path, TenantRulesConfig* out) {
  if (!node.IsMap()) return Bad(path, "must be a map");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    const std::string at = absl::StrCat(path, ".", key);
    if (key == "time_zone") {
      auto zone = ScalarString(kv.second, at);
      if (!zone.ok()) return zone.status();
      if (!absl::LoadTimeZone(*zone, &out->options.time_zone)) {
        return Bad(at, absl::StrCat("'", *zone, "' is not a known IANA time zone"));
      }
    } else if (key == "default_destination" || key == "compliance_destination") {
      auto dest = ScalarString(kv.second, at);
      if (!dest.ok()) return dest.status();
      if (!IsDestinationName(*dest)) {
        return Bad(at, absl::StrCat("'", *dest, "' is not 1-64 characters of [a-z0-9_.-]"));
      }
      (key == "default_destination" ? out->options.default_destination
                                    : out->options.compliance_destination) = *dest;
    } else if (key == "variables") {
      if (!kv.second.IsMap()) return Bad(at, "must be a map of name: value");
      for (const auto& var : kv.second) {
        const std::string name = var.first.as<std::string>();
        auto value = ScalarString(var.second, absl::StrCat(at, ".", name));
        if (!value.ok()) return value.status();
        out->options.tenant_variables[name] = *value;
      }
    } else if (key != "rules") {
      return Bad(at,
                 "unknown key (expected one of time_zone, default_destination, "
                 "compliance_destination, variables, rules)");
    }
  }
  // Rules last: their validation depends on the variables and time zone.
  if (const YAML::Node rules = node["rules"]) {
    auto parsed = ParseRulesNode(rules, path + ".rules", out->options);
    if (!parsed.ok()) return parsed.status();
    out->rules = std::move(*parsed);
  }
  return absl::OkStatus();
}

}  // namespace

bool IsDestinationName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

RuleOptions DefaultTenantOptions(const RuleOptions& base, std::string_view tenant_id,
                                 const config::TenantDirectory* tenants) {
  RuleOptions options = base;
  options.tenant_id = std::string(tenant_id);
  if (base.tenant_keywords != nullptr) options.compliance = base.tenant_keywords->For(tenant_id);
  if (tenants != nullptr) {
    if (const config::Tenant* t = tenants->FindTenant(tenant_id)) {
      absl::TimeZone zone;
      if (absl::LoadTimeZone(t->time_zone, &zone)) options.time_zone = zone;
    }
  }
  return options;
}

absl::StatusOr<std::map<std::string, TenantRulesConfig>> ParseRouterRulesYaml(
    std::string_view yaml, const RuleOptions& base, const config::TenantDirectory* tenants) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("rules file: ", e.what()));
  }
  std::map<std::string, TenantRulesConfig> out;
  if (root.IsNull()) return out;
  if (!root.IsMap()) return Bad("(top level)", "must be a map with a 'tenants' key");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (key != "tenants") return Bad(key, "unknown key (expected tenants)");
  }
  const YAML::Node list = root["tenants"];
  if (!list || list.IsNull()) return out;
  if (!list.IsMap()) return Bad("tenants", "must be a map of tenant id to settings");
  for (const auto& kv : list) {
    const std::string id = kv.first.as<std::string>();
    const std::string path = absl::StrCat("tenants.", id);
    TenantRulesConfig config;
    config.options = DefaultTenantOptions(base, id, tenants);
    if (auto st = ParseTenant(kv.second, path, &config); !st.ok()) return st;
    out.emplace(id, std::move(config));
  }
  return out;
}

absl::StatusOr<std::map<std::string, TenantRulesConfig>> LoadRouterRulesFile(
    const std::string& path, const RuleOptions& base, const config::TenantDirectory* tenants) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open rules file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto parsed = ParseRouterRulesYaml(buffer.str(), base, tenants);
  if (!parsed.ok()) {
    return absl::Status(parsed.status().code(),
                        absl::StrCat(path, ": ", std::string(parsed.status().message())));
  }
  return parsed;
}

}  // namespace smsflow::router
