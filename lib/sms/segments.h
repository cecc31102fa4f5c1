#pragma once
// How many SMS segments a text costs (COMPLIANCE.md "Segments and encoding").
// Pure functions, thread-safe, no allocation on the counting path.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace smsflow::sms {

enum class Encoding { kGsm7, kUcs2 };

struct SegmentCount {
  Encoding encoding = Encoding::kGsm7;
  // GSM-7 septets (extension-table characters count 2) or, for UCS-2, UTF-16
  // code units (a character outside the BMP counts 2).
  int units = 0;
  // 0 for empty text; 1 when units fit one message (160 / 70); otherwise the
  // number of 153- / 67-unit parts from precise packing, which never splits an
  // escape pair or a surrogate pair across parts, so it can exceed
  // ceil(units / 153) by one in rare cases.
  int segments = 0;
  int characters = 0;         // Unicode code points.
  int units_per_segment = 0;  // 160 or 153 (GSM-7), 70 or 67 (UCS-2), as applied; 160 when empty.
};

inline constexpr int kGsm7SingleUnits = 160;
inline constexpr int kGsm7PartUnits = 153;  // 160 minus the 7 septets of the concatenation UDH.
inline constexpr int kUcs2SingleUnits = 70;
inline constexpr int kUcs2PartUnits = 67;  // 70 minus the 3 code units of the concatenation UDH.

// Counts encoding, units and segments of `utf8`. Fails with INVALID_ARGUMENT
// "text is not valid UTF-8 at byte N" (N = 0-based offset of the first byte of
// the offending sequence) for overlongs, encoded surrogates, truncated
// sequences, stray continuation bytes and values above U+10FFFF.
// Texts over 1 GiB (never a real message) are refused rather than overflow int.
absl::StatusOr<SegmentCount> CountSegments(std::string_view utf8);

// "Smart encoding": replaces look-alike Unicode punctuation and spaces with
// their GSM-7 equivalents (the list is in segments.cc) so a text pasted from a
// word processor is not silently sent as UCS-2. Everything else, including
// bytes that are not valid UTF-8, is copied unchanged; apply CountSegments to
// the result.
std::string SmartEncode(std::string_view utf8);

bool IsValidUtf8(std::string_view s);
// True when `utf8` is valid UTF-8 and every character is in the GSM-7 basic or
// extension table (so it would be sent as GSM-7). True for empty text.
bool IsGsm7(std::string_view utf8);
std::string_view EncodingName(Encoding e);  // "GSM-7" / "UCS-2"

}  // namespace smsflow::sms
