#pragma once
// The GSM 03.38 (3GPP TS 23.038) default alphabet as a cost per code point:
// 1 septet for the basic table, 2 for the extension table (ESC + char), 0 when
// the character cannot be sent in GSM-7 at all. Header-only so the counter's
// per-character loop is a table load for everything below U+0100.

#include <array>
#include <cstdint>

namespace smsflow::sms::internal {

inline constexpr std::array<std::uint8_t, 256> kLatin1GsmSeptets = [] {
  std::array<std::uint8_t, 256> t{};
  // Printable ASCII is all basic except '`' (absent) and the extension
  // characters. '@' and '$' live at 0x00 and 0x02 in GSM but are still basic.
  for (int c = 0x20; c <= 0x7E; ++c) t[c] = 1;
  t['`'] = 0;
  for (unsigned char c : {'^', '{', '}', '\\', '[', ']', '~', '|'}) t[c] = 2;
  t['\n'] = 1;
  t['\r'] = 1;
  t['\f'] = 2;  // Form feed is extension 0x0A (used as a page break).
  // Other C0 controls (TAB, NUL, ESC...) are not characters of the alphabet:
  // ESC 0x1B is the escape into the extension table, not a sendable char.
  // Latin-1 letters and symbols from the basic table.
  for (char32_t c :
       {U'£', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'Ø', U'ø', U'Å', U'å', U'Æ', U'æ', U'ß',
        U'É', U'¤', U'¡', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ', U'ü', U'à'}) {
    t[c] = 1;
  }
  return t;
}();

// Septets needed for `cp`; 0 means "not GSM-7".
constexpr int GsmSeptets(char32_t cp) {
  if (cp < 0x100) return kLatin1GsmSeptets[cp];
  switch (cp) {
    // The Greek capitals of the basic table that are not also Latin letters.
    case U'Δ':
    case U'Φ':
    case U'Γ':
    case U'Λ':
    case U'Ω':
    case U'Π':
    case U'Ψ':
    case U'Σ':
    case U'Θ':
    case U'Ξ':
      return 1;
    case U'€':
      return 2;
    default:
      return 0;
  }
}

}  // namespace smsflow::sms::internal
