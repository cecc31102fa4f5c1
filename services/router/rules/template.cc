#include "services/router/rules/template.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/router/rules/string_compat.h"

namespace smsflow::router {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

absl::StatusOr<ReplyTemplate> ReplyTemplate::Parse(std::string_view text) {
  ReplyTemplate t;
  t.text_ = std::string(text);
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") != 0) {
      literal.push_back(text[i++]);
      continue;
    }
    const size_t open = i;
    size_t j = i + 2;
    while (j < text.size() && text[j] == ' ') ++j;
    const size_t name_begin = j;
    if (j < text.size() && IsNameStart(text[j])) {
      while (j < text.size() && IsNameChar(text[j])) ++j;
    }
    const size_t name_end = j;
    while (j < text.size() && text[j] == ' ') ++j;
    if (name_end == name_begin || text.compare(j, 2, "}}") != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad placeholder at byte ", open,
          ": expected {{name}} with a name of letters, digits and _ (no escape for a literal {{)"));
    }
    if (!literal.empty()) t.pieces_.push_back({false, std::move(literal)});
    literal.clear();
    std::string name(text.substr(name_begin, name_end - name_begin));
    if (std::find(t.variables_.begin(), t.variables_.end(), name) == t.variables_.end()) {
      t.variables_.push_back(name);
    }
    t.pieces_.push_back({true, std::move(name)});
    i = j + 2;
  }
  if (!literal.empty()) t.pieces_.push_back({false, std::move(literal)});
  return t;
}

absl::StatusOr<std::string> ReplyTemplate::Render(
    absl::Span<const VariableMap* const> sources) const {
  std::string out;
  out.reserve(text_.size() + 32);
  for (const Piece& piece : pieces_) {
    if (!piece.is_variable) {
      out.append(piece.text);
      continue;
    }
    const std::string* value = nullptr;
    for (const VariableMap* source : sources) {
      if (source == nullptr) continue;
      if (const auto it = source->find(piece.text); it != source->end()) {
        value = &it->second;
        break;
      }
    }
    if (value == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("template variable {{", piece.text, "}} has no value"));
    }
    out.append(*value);
  }
  return out;
}

}  // namespace smsflow::router
