#include "services/router/rules/normalize.h"

#include <cstdint>

namespace smsflow::router {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsTrimmable(char c) { return IsAsciiSpace(c) || IsAsciiPunct(c); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the UTF-8 sequence starting with lead byte `c` (1 for stray bytes).
size_t Utf8Length(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// Decodes the code point of a multi-byte sequence; 0 when truncated.
uint32_t DecodeCodePoint(std::string_view s, size_t i, size_t len) {
  if (i + len > s.size()) return 0;
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  switch (len) {
    case 2:
      return ((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu);
    case 3:
      return ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    case 4:
      return ((b(0) & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) |
             (b(3) & 0x3Fu);
    default:
      return b(0);
  }
}

// Appends `token` as its own word.
void AppendToken(std::string& out, std::string_view token) {
  if (!out.empty() && out.back() != ' ') out.push_back(' ');
  out.append(token);
  out.push_back(' ');
}

}  // namespace

std::string NormalizeForMatch(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && IsTrimmable(text[begin])) ++begin;
  while (end > begin && IsTrimmable(text[end - 1])) --end;
  std::string out;
  out.reserve(end - begin);
  bool pending_space = false;
  for (size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (IsAsciiSpace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(Lower(c));
  }
  return out;
}

std::string_view FirstWords(std::string_view normalized, int n) {
  size_t end = 0;
  for (int word = 0; word < n; ++word) {
    if (end >= normalized.size()) return {};
    if (word > 0) ++end;  // the single space between words
    const size_t space = normalized.find(' ', end);
    end = space == std::string_view::npos ? normalized.size() : space;
  }
  while (end > 0 && IsAsciiPunct(normalized[end - 1])) --end;
  return normalized.substr(0, end);
}

int CountWords(std::string_view normalized) {
  if (normalized.empty()) return 0;
  int words = 1;
  for (char c : normalized) words += c == ' ';
  return words;
}

std::string NormalizeForModel(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const auto uc = static_cast<unsigned char>(c);
    if (uc < 0x80) {
      if (c == '\'') {
        // Dropped so "don't" and "dont" are one token.
      } else if (IsAsciiSpace(c)) {
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
      } else if (IsDigit(c)) {
        if (out.empty() || out.back() != '0' || i == 0 || !IsDigit(text[i - 1])) {
          out.push_back('0');
        }
      } else if (IsAsciiPunct(c)) {
        AppendToken(out, std::string_view(&text[i], 1));
      } else {
        out.push_back(Lower(c));
      }
      ++i;
      continue;
    }
    const size_t len = Utf8Length(uc);
    const uint32_t cp = DecodeCodePoint(text, i, len);
    const std::string_view seq = text.substr(i, len);
    if (cp == 0x2019 || cp == 0x2018) {
      // Curly apostrophes, dropped like '.
    } else if (cp >= 0x2000) {
      AppendToken(out, seq);
    } else {
      out.append(seq);
    }
    i += len;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace smsflow::router
