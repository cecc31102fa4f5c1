#pragma once
// Auto-reply templates: text with {{variable}} placeholders.
//
// Syntax, kept deliberately small: a placeholder is "{{", optional spaces, a
// name of [A-Za-z_][A-Za-z0-9_]*, optional spaces, "}}". Every "{{" must open
// a well-formed placeholder, so a typo such as "{{first name}}" or an
// unclosed "{{" is a parse error instead of a reply sent with braces in it.
// There is no escape for a literal "{{" (replies never need one); single
// braces and a lone "}}" are literal text.
//
// Immutable after Parse; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace smsflow::router {

using VariableMap = absl::flat_hash_map<std::string, std::string>;

class ReplyTemplate {
 public:
  // INVALID_ARGUMENT "bad placeholder at byte N: ..." for malformed text.
  static absl::StatusOr<ReplyTemplate> Parse(std::string_view text);

  // Distinct variable names in order of first use.
  const std::vector<std::string>& variables() const { return variables_; }
  const std::string& text() const { return text_; }

  // Substitutes every placeholder with its value from the first map of
  // `sources` that has it (earlier maps override later ones). NOT_FOUND
  // "template variable {{name}} has no value" when none has it.
  absl::StatusOr<std::string> Render(absl::Span<const VariableMap* const> sources) const;

 private:
  struct Piece {
    bool is_variable = false;
    std::string text;  // literal text, or the variable name
  };
  std::string text_;
  std::vector<Piece> pieces_;
  std::vector<std::string> variables_;
};

}  // namespace smsflow::router
