#include "services/consent/gate/gate_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/config/yaml_checks.h"

namespace smsflow::consent::gate {
namespace {

const config::YamlChecker kCheck("policy config");

absl::Status Bad(absl::string_view path, absl::string_view why) { return kCheck.Bad(path, why); }

absl::Status OnlyKeys(const YAML::Node& node, const std::string& path,
                      const std::vector<std::string>& allowed) {
  return kCheck.OnlyKeys(node, path, allowed);
}

template <typename T>
absl::Status Get(const YAML::Node& parent, const std::string& path, const char* key, T* out) {
  const YAML::Node n = parent[key];
  if (!n) return absl::OkStatus();
  try {
    if (!n.IsScalar()) throw YAML::Exception(YAML::Mark(), "not a scalar");
    *out = n.as<T>();
  } catch (const YAML::Exception&) {
    return Bad(absl::StrCat(path, ".", key), "expected a scalar of the right type");
  }
  return absl::OkStatus();
}

absl::Status GetStrings(const YAML::Node& parent, const std::string& path, const char* key,
                        std::vector<std::string>* out) {
  const YAML::Node n = parent[key];
  if (!n) return absl::OkStatus();
  const std::string p = absl::StrCat(path, ".", key);
  if (!n.IsSequence()) return Bad(p, "expected a list");
  out->clear();
  for (size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar()) return Bad(absl::StrCat(p, "[", i, "]"), "expected a string");
    out->push_back(n[i].as<std::string>());
  }
  return absl::OkStatus();
}

absl::Status ParseCap(const YAML::Node& node, const std::string& path, CapRule* rule) {
  if (auto st = OnlyKeys(node, path,
                         {"name", "regions", "categories", "limit", "window_hours", "per_subject"});
      !st.ok()) {
    return st;
  }
  if (!node["name"]) return Bad(path + ".name", "required");
  if (auto st = Get(node, path, "name", &rule->name); !st.ok()) return st;
  if (rule->name.empty()) return Bad(path + ".name", "must not be empty");
  if (auto st = GetStrings(node, path, "regions", &rule->regions); !st.ok()) return st;
  std::vector<std::string> categories;
  if (!node["categories"]) return Bad(path + ".categories", "required");
  if (auto st = GetStrings(node, path, "categories", &categories); !st.ok()) return st;
  if (categories.empty()) return Bad(path + ".categories", "must not be empty");
  rule->categories.clear();
  for (size_t i = 0; i < categories.size(); ++i) {
    auto c = policy::ParseCategory(categories[i]);
    if (!c) {
      return Bad(absl::StrCat(path, ".categories[", i, "]"),
                 absl::StrCat("'", categories[i],
                              "' is not one of otp, transactional, conversational, marketing, "
                              "compliance"));
    }
    rule->categories.push_back(*c);
  }
  if (auto st = Get(node, path, "limit", &rule->limit); !st.ok()) return st;
  if (rule->limit < 1) return Bad(path + ".limit", "must be at least 1");
  double hours = absl::ToDoubleHours(rule->window);
  if (auto st = Get(node, path, "window_hours", &hours); !st.ok()) return st;
  if (!(hours > 0)) return Bad(path + ".window_hours", "must be greater than 0");
  rule->window = absl::Hours(hours);
  return Get(node, path, "per_subject", &rule->per_subject);
}

absl::Status ParseGate(const YAML::Node& node, GateConfig* gate) {
  const std::string path = "gate";
  if (auto st = OnlyKeys(
          node, path, {"otp_requires_ledger_request", "default_validity_hours", "frequency_caps"});
      !st.ok()) {
    return st;
  }
  if (auto st = Get(node, path, "otp_requires_ledger_request", &gate->otp_requires_ledger_request);
      !st.ok()) {
    return st;
  }
  double validity = absl::ToDoubleHours(gate->default_validity);
  if (auto st = Get(node, path, "default_validity_hours", &validity); !st.ok()) return st;
  if (!(validity > 0)) return Bad(path + ".default_validity_hours", "must be greater than 0");
  gate->default_validity = absl::Hours(validity);
  if (const YAML::Node caps = node["frequency_caps"]) {
    if (!caps.IsSequence()) return Bad(path + ".frequency_caps", "expected a list");
    gate->frequency_caps.clear();
    std::set<std::string> names;
    for (size_t i = 0; i < caps.size(); ++i) {
      const std::string p = absl::StrCat(path, ".frequency_caps[", i, "]");
      CapRule rule;
      if (auto st = ParseCap(caps[i], p, &rule); !st.ok()) return st;
      if (!names.insert(rule.name).second) {
        return Bad(p + ".name", absl::StrCat("duplicate cap name '", rule.name, "'"));
      }
      gate->frequency_caps.push_back(std::move(rule));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<CapRule> GateConfig::DefaultCaps() {
  return {CapRule{.name = "fl_ok_marketing",
                  .regions = {"US-FL", "US-OK"},
                  .categories = {policy::Category::kMarketing},
                  .limit = 3,
                  .window = absl::Hours(24),
                  .per_subject = true}};
}

absl::StatusOr<GatePolicyFile> ParseGatePolicyYaml(absl::string_view yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("policy config: not valid YAML: ", e.what()));
  }
  GatePolicyFile out;
  if (root.IsNull()) return out;
  if (!root.IsMap()) return Bad("(top level)", "expected a mapping");
  // The policy library knows its own keys (and rejects others): hand it the
  // file without the gate section.
  YAML::Node rest(YAML::NodeType::Map);
  for (const auto& kv : root) {
    if (kv.first.as<std::string>() == "gate") {
      if (auto st = ParseGate(kv.second, &out.gate); !st.ok()) return st;
    } else {
      rest[kv.first] = kv.second;
    }
  }
  YAML::Emitter emitter;
  emitter << rest;
  auto policy = policy::ParsePolicyYaml(rest.size() == 0 ? "" : emitter.c_str());
  if (!policy.ok()) return policy.status();
  out.policy = *std::move(policy);
  return out;
}

absl::StatusOr<GatePolicyFile> LoadGatePolicyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("policy config ", path, ": cannot open file"));
  std::stringstream buf;
  buf << in.rdbuf();
  auto cfg = ParseGatePolicyYaml(buf.str());
  if (!cfg.ok()) {
    return absl::Status(cfg.status().code(),
                        absl::StrCat(path, ": ", std::string(cfg.status().message())));
  }
  return cfg;
}

}  // namespace smsflow::consent::gate
