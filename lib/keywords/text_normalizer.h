// Turns an inbound SMS body into the canonical tokens keyword and phrase
// matching work on. Pure function; no allocation beyond its result.
//
// Decisions (pinned by text_normalizer_test.cc):
//  * Case: ASCII, Latin-1, Œ/Š/Ž/Ÿ, basic Greek and Cyrillic are upper-cased.
//  * Accents are stripped from Latin letters ("arrêt" -> "ARRET", "más" ->
//    "MAS"), and combining marks (U+0300..U+036F) are dropped, so tenants need
//    not list accented and unaccented spellings twice. ß -> SS, Æ -> AE.
//  * Fullwidth ASCII letters and digits map to ASCII.
//  * Apostrophes inside words vanish ("don't", "don’t" -> "DONT").
//  * Whitespace, hyphens, underscores and slashes between words split tokens
//    ("opt-out" -> OPT OUT).
//  * Clause punctuation (. , ! ? ; : … ¡ ¿ and dashes standing alone) becomes
//    the clause marker token "." so phrase rules and negation stop at it.
//  * Everything else (emoji, symbols, quotes, brackets, invalid UTF-8 bytes) is
//    decoration: it separates words and is otherwise ignored.
//  * Letters of other scripts are kept verbatim as word characters.
#ifndef SMSFLOW_LIB_KEYWORDS_TEXT_NORMALIZER_H_
#define SMSFLOW_LIB_KEYWORDS_TEXT_NORMALIZER_H_

#include <string>
#include <string_view>
#include <vector>

namespace smsflow::keywords {

inline constexpr std::string_view kClauseMarker = ".";

struct NormalizedText {
  // Word tokens and clause markers, in order; never two markers in a row and
  // never a marker first.
  std::vector<std::string> tokens;
  // A laughing or heart-eyed emoji was among the decoration ("Stop it 😂"):
  // the tokens ignore it, the opt-out scorer reads it as delight.
  bool delight_emoji = false;

  // The exact-keyword form: word tokens joined by one space, or "" when a
  // clause marker separates two words ("Stop. All" is not "STOP ALL").
  std::string KeywordForm() const;

  // The phrase form: all tokens (markers included) joined by one space, with
  // trailing markers removed, e.g. "WHY DO YOU KEEP TEXTING ME . STOP".
  std::string PhraseForm() const;
};

NormalizedText Normalize(std::string_view text);

// Normalises a configured keyword (tenant extra or removal) to its
// KeywordForm; "" if it has no word characters.
std::string NormalizeKeyword(std::string_view word);

}  // namespace smsflow::keywords

#endif  // SMSFLOW_LIB_KEYWORDS_TEXT_NORMALIZER_H_
