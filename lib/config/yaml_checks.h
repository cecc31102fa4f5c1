#pragma once
// Strict YAML configuration checking shared by every config file smsflow
// reads (tenants, routing rules, consent policy, ...): an unknown key or a
// value of the wrong shape is an INVALID_ARGUMENT that names its path, e.g.
// "tenants file: tenants[0].numbers[1].scop: unknown key (expected one of: ...)".
// Stateless and thread-safe.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace smsflow::config {

class YamlChecker {
 public:
  // `context` names the file kind in every message ("tenants file"); may be empty.
  explicit YamlChecker(std::string context) : context_(std::move(context)) {}

  // INVALID_ARGUMENT "<context>: <path>: <problem>".
  absl::Status Bad(absl::string_view path, absl::string_view problem) const;
  // Fails if `node` is not a mapping or has a key outside `allowed`.
  absl::Status OnlyKeys(const YAML::Node& node, absl::string_view path,
                        const std::vector<std::string>& allowed) const;
  // "<path>.<key>", or just the key at the top level (empty path).
  static std::string Join(absl::string_view path, absl::string_view key);

 private:
  std::string context_;
};

}  // namespace smsflow::config
