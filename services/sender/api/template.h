#pragma once
// Message templates: "{{variable}}" placeholders rendered per recipient, and
// the named templates tenants may keep in a YAML file. Pure logic, no I/O
// except TemplateCatalog::FromFile. Immutable after construction; safe to
// share between threads.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace smsflow::sender {

// A parsed template: literal text and placeholders, so a batch parses once
// and renders thousands of times.
class Template {
 public:
  // Placeholders are "{{name}}" with optional spaces inside the braces; names
  // are [A-Za-z0-9_.-]+. INVALID_ARGUMENT "unterminated placeholder at byte
  // N" / "bad placeholder name '...' at byte N" otherwise. Text without
  // placeholders is a valid template.
  static absl::StatusOr<Template> Parse(std::string_view text);

  // Renders with `lookup(name)`, which returns nullptr for a missing value.
  // NOT_FOUND whose message is exactly the first missing variable's name.
  template <typename Lookup>
  absl::StatusOr<std::string> Render(const Lookup& lookup) const;

  const std::vector<std::string>& variables() const { return variables_; }

 private:
  struct Piece {
    bool placeholder = false;
    std::string text;  // literal text, or the variable name
  };
  std::vector<Piece> pieces_;
  std::vector<std::string> variables_;  // distinct names, in order of first use
  size_t literal_size_ = 0;
};

template <typename Lookup>
absl::StatusOr<std::string> Template::Render(const Lookup& lookup) const {
  std::string out;
  out.reserve(literal_size_ + 16 * variables_.size());
  for (const Piece& p : pieces_) {
    if (!p.placeholder) {
      out += p.text;
      continue;
    }
    const std::string* value = lookup(p.text);
    if (value == nullptr) return absl::NotFoundError(p.text);
    out += *value;
  }
  return out;
}

// Named templates per tenant, from YAML:
//
//   templates:
//     - tenant: acme
//       id: order_shipped
//       text: "Hi {{first_name}}, order {{order}} shipped. Reply STOP to opt out."
//
// Every template is parsed at load; a bad one, an unknown key or a duplicate
// (tenant, id) is INVALID_ARGUMENT naming its path ("templates[2].text: ...").
class TemplateCatalog {
 public:
  TemplateCatalog() = default;  // empty: only inline template text works
  static absl::StatusOr<std::shared_ptr<const TemplateCatalog>> FromYaml(std::string_view yaml);
  static absl::StatusOr<std::shared_ptr<const TemplateCatalog>> FromFile(const std::string& path);

  // nullptr when the tenant has no such template.
  const Template* Find(std::string_view tenant, std::string_view id) const;
  size_t size() const { return templates_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, Template, std::less<>> templates_;
};

}  // namespace smsflow::sender
