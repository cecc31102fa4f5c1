#pragma once
// Text normalisation for rule matching and for the intent model. Pure
// functions, thread-safe. Only ASCII is case-folded and only ASCII
// punctuation/whitespace is treated as such: other UTF-8 is kept byte for byte
// (so "ÁRRET" stays distinct from "arret"; compliance lists carry both forms
// where it matters).

#include <string>
#include <string_view>

namespace smsflow::router {

// For keyword and compliance matching: lowercases ASCII letters, removes
// leading and trailing whitespace and ASCII punctuation, and collapses every
// inner whitespace run to one space. Inner punctuation stays ("opt-out").
//   "  Stop!! " -> "stop"      "Balance,  please." -> "balance, please"
std::string NormalizeForMatch(std::string_view text);

// The first `n` (>= 1) space-separated words of a NormalizeForMatch result,
// with punctuation at the end of the last word removed; empty when the text
// has fewer than `n` words. Returns a view into `normalized`.
//   FirstWords("balance, please", 1) -> "balance"
std::string_view FirstWords(std::string_view normalized, int n);

// Number of space-separated words in a NormalizeForMatch result.
int CountWords(std::string_view normalized);

// For the intent model, identical at training (the build runs the corpus
// through it) and prediction: ASCII lowercased, apostrophes removed ("don't"
// -> "dont"), every other ASCII punctuation character and every symbol/emoji
// (code point >= U+2000) made its own token, each run of digits replaced by a
// single "0" (order numbers and times carry no intent), whitespace collapsed.
//   "What time do U open Sat?? 🙂" -> "what time do u open sat ? ? 🙂"
std::string NormalizeForModel(std::string_view text);

inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

}  // namespace smsflow::router
