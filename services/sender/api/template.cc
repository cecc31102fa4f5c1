#include "services/sender/api/template.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace smsflow::sender {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

absl::StatusOr<Template> Template::Parse(std::string_view text) {
  Template t;
  size_t pos = 0;
  std::string literal;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      literal.append(text.substr(pos));
      break;
    }
    literal.append(text.substr(pos, open - pos));
    const size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("unterminated placeholder at byte ", open));
    }
    const std::string_view name = Trim(text.substr(open + 2, close - open - 2));
    bool ok = !name.empty();
    for (char c : name) ok = ok && IsNameChar(c);
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad placeholder name '", std::string(name.substr(0, 64)), "' at byte ", open));
    }
    if (!literal.empty()) {
      t.literal_size_ += literal.size();
      t.pieces_.push_back({false, std::move(literal)});
      literal.clear();
    }
    t.pieces_.push_back({true, std::string(name)});
    bool seen = false;
    for (const auto& v : t.variables_) seen = seen || v == name;
    if (!seen) t.variables_.emplace_back(name);
    pos = close + 2;
  }
  if (!literal.empty()) {
    t.literal_size_ += literal.size();
    t.pieces_.push_back({false, std::move(literal)});
  }
  return t;
}

absl::StatusOr<std::shared_ptr<const TemplateCatalog>> TemplateCatalog::FromYaml(
    std::string_view yaml) {
  auto catalog = std::make_shared<TemplateCatalog>();
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("templates: ", e.what()));
  }
  if (!root || root.IsNull()) return catalog;
  if (!root.IsMap()) return absl::InvalidArgumentError("templates file: expected a mapping");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (key != "templates") {
      return absl::InvalidArgumentError(absl::StrCat(key, ": unknown key"));
    }
  }
  const YAML::Node list = root["templates"];
  if (!list || list.IsNull()) return catalog;
  if (!list.IsSequence()) return absl::InvalidArgumentError("templates: expected a list");
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    const std::string path = absl::StrCat("templates[", i, "]");
    if (!item.IsMap()) return absl::InvalidArgumentError(path + ": expected a mapping");
    std::string tenant, id, text;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      if (!kv.second.IsScalar()) {
        return absl::InvalidArgumentError(absl::StrCat(path, ".", key, ": expected a string"));
      }
      const std::string value = kv.second.as<std::string>();
      if (key == "tenant") {
        tenant = value;
      } else if (key == "id") {
        id = value;
      } else if (key == "text") {
        text = value;
      } else {
        return absl::InvalidArgumentError(absl::StrCat(path, ".", key, ": unknown key"));
      }
    }
    for (const auto& [name, value] : {std::pair{"tenant", &tenant}, {"id", &id}, {"text", &text}}) {
      if (value->empty()) {
        return absl::InvalidArgumentError(absl::StrCat(path, ".", name, ": required"));
      }
    }
    auto parsed = Template::Parse(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".text: ", std::string(parsed.status().message())));
    }
    if (!catalog->templates_.emplace(std::pair{tenant, id}, *std::move(parsed)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": duplicate template '", id, "' for tenant '", tenant, "'"));
    }
  }
  return catalog;
}

absl::StatusOr<std::shared_ptr<const TemplateCatalog>> TemplateCatalog::FromFile(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("templates-file: cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  auto catalog = FromYaml(ss.str());
  if (!catalog.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", std::string(catalog.status().message())));
  }
  return catalog;
}

const Template* TemplateCatalog::Find(std::string_view tenant, std::string_view id) const {
  auto it = templates_.find(std::pair{std::string(tenant), std::string(id)});
  return it == templates_.end() ? nullptr : &it->second;
}

}  // namespace smsflow::sender
