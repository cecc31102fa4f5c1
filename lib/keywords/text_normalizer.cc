#include "lib/keywords/text_normalizer.h"

#include <cstddef>

namespace smsflow::keywords {
namespace {

enum class CharClass {
  kWord,        // letter or digit; appended (folded) to the current token
  kCombining,   // combining accent: dropped without splitting the word
  kApostrophe,  // joins "don't" -> DONT; separates elsewhere
  kHyphen,      // joins "opt-out" -> OPT OUT; a clause marker when standing alone
  kClause,      // sentence punctuation -> clause marker
  kSeparator,   // whitespace, emoji, symbols, invalid bytes
};

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one UTF-8 sequence at s[*i]; an invalid or truncated sequence
// consumes a single byte and yields U+FFFD, so no input can stall or crash us.
char32_t DecodeOne(std::string_view s, size_t* i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(*i);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  int len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return kReplacement;
  }
  if (*i + len > s.size()) {
    ++*i;
    return kReplacement;
  }
  for (int k = 1; k < len; ++k) {
    const unsigned char b = byte(*i + k);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return kReplacement;
  }
  *i += len;
  return cp;
}

// Latin-1 letters U+00C0..U+00FF folded to upper-case ASCII without accents;
// "" marks the two non-letters (× and ÷).
constexpr const char* kLatin1Fold[64] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "SS",
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",
    "D", "N", "O", "O", "O", "O", "O",  "",  "O", "U", "U", "U", "U", "Y", "TH", "Y",
};

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool IsDecorationRange(char32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
         (cp >= 0x2000 && cp <= 0x2BFF) ||    // punctuation, symbols, arrows, dingbats
         (cp >= 0x2E00 && cp <= 0x2E7F) ||    // supplemental punctuation
         (cp >= 0x3000 && cp <= 0x303F) ||    // CJK punctuation
         (cp >= 0xFE00 && cp <= 0xFE0F) ||    // variation selectors (emoji style)
         (cp >= 0xFE30 && cp <= 0xFE6F) ||    // compatibility forms
         (cp >= 0xFF00 && cp <= 0xFFFF) ||    // fullwidth punctuation, specials
         (cp >= 0x1F000 && cp <= 0x1FAFF) ||  // emoji and pictographs
         (cp >= 0xE0000 && cp <= 0xE007F);    // emoji tag sequences
}

CharClass Classify(char32_t cp) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
    return CharClass::kWord;
  }
  switch (cp) {
    case '\'':
    case '`':
    case 0x2018:
    case 0x2019:
    case 0x02BC:
    case 0xB4:
      return CharClass::kApostrophe;
    case '-':
    case 0x2010:
    case 0x2011:
    case 0x2012:
      return CharClass::kHyphen;
    case '.':
    case ',':
    case '!':
    case '?':
    case ';':
    case ':':
    case 0x2026:
    case 0xA1:
    case 0xBF:
    case 0x2013:
    case 0x2014:
    case 0x3002:
    case 0xFF01:
    case 0xFF0C:
    case 0xFF0E:
    case 0xFF1A:
    case 0xFF1B:
    case 0xFF1F:
      return CharClass::kClause;
    default:
      break;
  }
  if (cp >= 0x300 && cp <= 0x36F) return CharClass::kCombining;
  if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
      (cp >= 0xFF41 && cp <= 0xFF5A)) {
    return CharClass::kWord;
  }
  if (cp < 0x80 || IsDecorationRange(cp)) return CharClass::kSeparator;
  return CharClass::kWord;  // Latin-1 letters and every other script
}

// Appends the folded form of a kWord code point.
void AppendFolded(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp >= 'a' && cp <= 'z' ? cp - 'a' + 'A' : cp));
    return;
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    out->append(kLatin1Fold[cp - 0xC0]);
    return;
  }
  if (cp >= 0xFF10 && cp <= 0xFF19) return out->push_back(static_cast<char>('0' + cp - 0xFF10));
  if (cp >= 0xFF21 && cp <= 0xFF3A) return out->push_back(static_cast<char>('A' + cp - 0xFF21));
  if (cp >= 0xFF41 && cp <= 0xFF5A) return out->push_back(static_cast<char>('A' + cp - 0xFF41));
  switch (cp) {
    case 0x152:
    case 0x153:
      out->append("OE");
      return;
    case 0x160:
    case 0x161:
      return out->push_back('S');
    case 0x17D:
    case 0x17E:
      return out->push_back('Z');
    case 0x178:
      return out->push_back('Y');
    case 0x3C2:
      return AppendUtf8(0x3A3, out);  // final sigma
    default:
      break;
  }
  if (cp >= 0x3B1 && cp <= 0x3C9) cp -= 0x20;  // Greek lower -> upper
  if (cp >= 0x430 && cp <= 0x44F) cp -= 0x20;  // Cyrillic lower -> upper
  if (cp >= 0x450 && cp <= 0x45F) cp -= 0x50;  // Cyrillic ѐ..џ -> Ѐ..Џ
  AppendUtf8(cp, out);
}

// Face-with-tears-of-joy and friends: laughter, heart eyes, blushing.
bool IsDelightEmoji(char32_t cp) {
  switch (cp) {
    case 0x1F602:  // face with tears of joy
    case 0x1F923:  // rolling on the floor laughing
    case 0x1F606:  // grinning squinting
    case 0x1F605:  // grinning with sweat
    case 0x1F639:  // cat with tears of joy
    case 0x1F60D:  // heart eyes
    case 0x1F970:  // smiling with hearts
    case 0x1F60A:  // smiling eyes
    case 0x1F601:  // beaming
    case 0x1F604:  // grinning, smiling eyes
    case 0x1F929:  // star-struck
    case 0x1F618:  // blowing a kiss
    case 0x2764:   // red heart
      return true;
    default:
      return false;
  }
}

struct Unit {
  CharClass cls;
  char32_t cp;
};

}  // namespace

NormalizedText Normalize(std::string_view text) {
  std::vector<Unit> units;
  units.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = DecodeOne(text, &i);
    units.push_back({Classify(cp), cp});
  }

  NormalizedText out;
  std::string current;
  bool marker_pending = false;
  const auto flush = [&] {
    if (current.empty()) return;
    if (marker_pending && !out.tokens.empty()) out.tokens.emplace_back(kClauseMarker);
    marker_pending = false;
    out.tokens.push_back(std::move(current));
    current.clear();
  };
  const auto next_is_word = [&](size_t k) {
    // Skip combining marks so "e\u0301-mail" still sees a word after the hyphen.
    for (size_t j = k + 1; j < units.size(); ++j) {
      if (units[j].cls == CharClass::kCombining) continue;
      return units[j].cls == CharClass::kWord;
    }
    return false;
  };

  for (size_t k = 0; k < units.size(); ++k) {
    switch (units[k].cls) {
      case CharClass::kWord:
        AppendFolded(units[k].cp, &current);
        break;
      case CharClass::kCombining:
        break;
      case CharClass::kApostrophe:
        if (!current.empty() && next_is_word(k)) break;  // "don't" -> DONT
        flush();
        break;
      case CharClass::kHyphen:
        if (!current.empty() && next_is_word(k)) {
          flush();  // "opt-out" -> OPT OUT
        } else {
          flush();
          marker_pending = true;  // "STOP - I never signed up"
        }
        break;
      case CharClass::kClause:
        flush();
        marker_pending = true;
        break;
      case CharClass::kSeparator:
        if (IsDelightEmoji(units[k].cp)) out.delight_emoji = true;
        flush();
        break;
    }
  }
  flush();
  return out;
}

std::string NormalizedText::KeywordForm() const {
  std::string form;
  for (const std::string& token : tokens) {
    if (token == kClauseMarker) return "";
    if (!form.empty()) form.push_back(' ');
    form.append(token);
  }
  return form;
}

std::string NormalizedText::PhraseForm() const {
  std::string form;
  for (const std::string& token : tokens) {
    if (!form.empty()) form.push_back(' ');
    form.append(token);
  }
  return form;
}

std::string NormalizeKeyword(std::string_view word) { return Normalize(word).KeywordForm(); }

}  // namespace smsflow::keywords
