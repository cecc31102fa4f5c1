#include "lib/sms/segments.h"

#include <cstddef>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/sms/gsm7.h"
#include "lib/sms/utf8.h"

namespace smsflow::sms {
namespace {

using internal::DecodeUtf8;
using internal::GsmSeptets;

// Lays characters out into fixed-size parts the way a sender must: a
// character whose units do not fit in what is left of the current part starts
// the next part, leaving the remainder empty. For GSM-7 this keeps an escape
// pair (ESC + extension char, 2 septets) together when only one septet is left
// of a 153-septet part; splitting it would make the receiving phone show the
// wrong character. For UCS-2 it keeps a surrogate pair together likewise.
// `utf8` must already be valid. Only called for multipart texts that contain
// 2-unit characters; otherwise ceil(units / capacity) is exact.
int PackParts(std::string_view utf8, bool gsm, int capacity) {
  int parts = 1;
  int fill = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp;
    i += static_cast<std::size_t>(DecodeUtf8(utf8, i, &cp));
    const int units = gsm ? GsmSeptets(cp) : (cp >= 0x10000 ? 2 : 1);
    if (fill + units > capacity) {
      ++parts;
      fill = units;
    } else {
      fill += units;
    }
  }
  return parts;
}

absl::Status InvalidUtf8At(std::size_t byte) {
  return absl::InvalidArgumentError(absl::StrCat("text is not valid UTF-8 at byte ", byte));
}

// Smart-encoding replacements, applied only where the GSM-7 form is what a
// reader would see anyway:
//   U+00A0 no-break space, U+2000..U+200A en quad..hair space, U+202F narrow
//     no-break space, U+205F medium mathematical space, U+3000 ideographic
//     space                                                        -> ' '
//   U+2018 ‘ U+2019 ’ U+201A ‚ U+201B ‛ U+02BC modifier apostrophe  -> '\''
//   U+201C “ U+201D ” U+201E „ U+201F ‟                             -> '"'
//   U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash,
//     U+2013 en dash, U+2014 em dash, U+2015 horizontal bar,
//     U+2212 minus sign                                             -> '-'
//   U+2026 … horizontal ellipsis                                    -> "..."
//   U+00AD soft hyphen, U+200B zero-width space, U+2060 word joiner,
//     U+FEFF zero-width no-break space (BOM)                        -> removed
//     (invisible, yet each alone would force the whole text to UCS-2)
// Deliberately left alone: bullet • (could be '-', '*' or 'o'), guillemets
// « » ‹ › ('"' or "<<"), primes ′ ″ (units, not quotes), ™ © × ÷, accented
// letters (changing a letter changes the word), and ZWJ/ZWNJ, which glue emoji
// sequences and scripts together.
// Returns nullptr when `cp` has no replacement.
const char* SmartReplacement(char32_t cp) {
  switch (cp) {
    case 0x00A0:
    case 0x2000:
    case 0x2001:
    case 0x2002:
    case 0x2003:
    case 0x2004:
    case 0x2005:
    case 0x2006:
    case 0x2007:
    case 0x2008:
    case 0x2009:
    case 0x200A:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return " ";
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x02BC:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
      return "-";
    case 0x2026:
      return "...";
    case 0x00AD:
    case 0x200B:
    case 0x2060:
    case 0xFEFF:
      return "";
    default:
      return nullptr;
  }
}

}  // namespace

absl::StatusOr<SegmentCount> CountSegments(std::string_view utf8) {
  // Each byte adds at most 2 units, so this bound keeps every int in range.
  if (utf8.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 2)) {
    return absl::InvalidArgumentError(
        absl::StrCat("text is too long to count: ", utf8.size(), " bytes"));
  }
  int characters = 0;
  int gsm_units = 0;  // Meaningless once not_gsm is set; summing anyway keeps the loop branch-free.
  int utf16_units = 0;
  bool not_gsm = false;
  const std::size_t size = utf8.size();
  for (std::size_t i = 0; i < size;) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {  // Nearly every byte of a typical message: one table load.
      const int septets = internal::kLatin1GsmSeptets[b];
      gsm_units += septets;
      not_gsm |= septets == 0;
      ++utf16_units;
      ++characters;
      ++i;
      continue;
    }
    char32_t cp;
    const int len = DecodeUtf8(utf8, i, &cp);
    if (len == 0) return InvalidUtf8At(i);
    i += static_cast<std::size_t>(len);
    ++characters;
    utf16_units += cp >= 0x10000 ? 2 : 1;
    if (!not_gsm) {  // Settled once false: UCS-2 texts skip the lookup.
      const int septets = GsmSeptets(cp);
      gsm_units += septets;
      not_gsm = septets == 0;
    }
  }

  SegmentCount count;
  const bool gsm = !not_gsm;
  count.encoding = gsm ? Encoding::kGsm7 : Encoding::kUcs2;
  count.characters = characters;
  count.units = gsm ? gsm_units : utf16_units;
  const int single = gsm ? kGsm7SingleUnits : kUcs2SingleUnits;
  const int part = gsm ? kGsm7PartUnits : kUcs2PartUnits;
  if (count.units == 0) {
    count.units_per_segment = single;
  } else if (count.units <= single) {
    count.segments = 1;
    count.units_per_segment = single;
  } else {
    count.units_per_segment = part;
    // With only 1-unit characters no pair can straddle a boundary.
    count.segments =
        count.units == characters ? (count.units + part - 1) / part : PackParts(utf8, gsm, part);
  }
  return count;
}

std::string SmartEncode(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const unsigned char b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    char32_t cp;
    const int len = DecodeUtf8(utf8, i, &cp);
    if (len == 0) {  // Not ours to repair: pass the byte through.
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    if (const char* replacement = SmartReplacement(cp)) {
      out.append(replacement);
    } else {
      out.append(utf8.substr(i, static_cast<std::size_t>(len)));
    }
    i += static_cast<std::size_t>(len);
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    const int len = DecodeUtf8(s, i, &cp);
    if (len == 0) return false;
    i += static_cast<std::size_t>(len);
  }
  return true;
}

bool IsGsm7(std::string_view utf8) {
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp;
    const int len = DecodeUtf8(utf8, i, &cp);
    if (len == 0 || GsmSeptets(cp) == 0) return false;
    i += static_cast<std::size_t>(len);
  }
  return true;
}

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kGsm7:
      return "GSM-7";
    case Encoding::kUcs2:
      return "UCS-2";
  }
  return "unknown";
}

}  // namespace smsflow::sms
