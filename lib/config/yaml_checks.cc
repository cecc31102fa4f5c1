#include "lib/config/yaml_checks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace smsflow::config {

absl::Status YamlChecker::Bad(absl::string_view path, absl::string_view problem) const {
  const absl::string_view where = path.empty() ? "(top level)" : path;
  return absl::InvalidArgumentError(context_.empty()
                                        ? absl::StrCat(where, ": ", problem)
                                        : absl::StrCat(context_, ": ", where, ": ", problem));
}

absl::Status YamlChecker::OnlyKeys(const YAML::Node& node, absl::string_view path,
                                   const std::vector<std::string>& allowed) const {
  if (!node.IsMap()) return Bad(path, "expected a mapping");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Bad(Join(path, key),
                 absl::StrCat("unknown key (expected one of: ", absl::StrJoin(allowed, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

std::string YamlChecker::Join(absl::string_view path, absl::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(path, ".", key);
}

}  // namespace smsflow::config
