#pragma once
// Strict UTF-8 decoding shared by the segment counter and smart encoding.
// Header-only so the per-character loop inlines; no allocation.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace smsflow::sms::internal {

// Decodes the code point starting at s[i]. On success stores it in *cp and
// returns the sequence length (1-4); returns 0 when the bytes at i are not a
// well-formed sequence per Unicode Table 3-7, which rejects overlong forms,
// UTF-16 surrogates (U+D800..U+DFFF), values above U+10FFFF and sequences cut
// short by the end of the input. Requires i < s.size().
inline int DecodeUtf8(std::string_view s, std::size_t i, char32_t* cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t left = s.size() - i;
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  auto cont = [](unsigned char b) { return (b & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (left < 2 || !cont(p[1])) return 0;
    *cp = (char32_t{b0} & 0x1F) << 6 | (p[1] & 0x3F);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3) return 0;
    // The second byte's range is what excludes overlongs (E0) and surrogates (ED).
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    if (p[1] < lo || p[1] > hi || !cont(p[2])) return 0;
    *cp = (char32_t{b0} & 0x0F) << 12 | char32_t{p[1] & 0x3Fu} << 6 | (p[2] & 0x3F);
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4) return 0;
    // F0 must not be overlong; F4 must stay at or below U+10FFFF.
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi || !cont(p[2]) || !cont(p[3])) return 0;
    *cp = (char32_t{b0} & 0x07) << 18 | char32_t{p[1] & 0x3Fu} << 12 | char32_t{p[2] & 0x3Fu} << 6 |
          (p[3] & 0x3F);
    return 4;
  }
  return 0;  // 80..C1 (continuation or overlong lead) and F5..FF never start a sequence.
}

}  // namespace smsflow::sms::internal
