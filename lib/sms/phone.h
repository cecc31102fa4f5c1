#pragma once
// Phone number parsing and validation on top of libphonenumber. Thread-safe:
// every function reads only libphonenumber's immutable singleton.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace smsflow::sms {

enum class NumberType {
  kUnknown,
  kMobile,
  kFixedLine,
  kFixedLineOrMobile,  // NANP numbers: the number alone cannot tell.
  kTollFree,
  kVoip,
  kShortCode,  // Never returned by ParsePhone (short codes are not E.164); for callers' use.
  kOther,      // Premium rate, shared cost, personal, pager, UAN, voicemail.
};

struct PhoneNumber {
  std::string e164;      // "+14155550100"
  std::string region;    // ISO 3166 "US"; "001" for non-geographic numbers (+800, +882...).
  int country_code = 0;  // 1
  // The geographic area code as libphonenumber's GetLengthOfGeographicalAreaCode
  // sees it ("415" for +1 415..., "20" for +44 20...); empty for numbers
  // without one (toll-free, most mobiles outside NANP). For NANP mobile and
  // VoIP numbers the 3-digit NPA is used even where libphonenumber classes the
  // number as non-geographic, because quiet-hour rules presume location from it.
  std::string area_code;
  NumberType type = NumberType::kUnknown;
};

// Parses what a person or provider might send ("+1 (415) 555-0100",
// "415.555.0100", "tel:+14155550100", "011 44 20 7946 0958" from the US) and
// validates it against libphonenumber's metadata. A number without '+' is
// read as dialled from `default_region` (uppercase or lowercase ISO code; ""
// means none, so only '+' numbers parse): no other region is ever guessed, so
// "0044 20 7946 0958" parses with default region "GB" or "DE" (IDD 00) but not
// "US" (IDD 011).
// Errors: INVALID_ARGUMENT "phone number '<redacted input>' is not a valid
// number: <why>", why being "empty", "cannot parse...", "too short", "too long"
// or "invalid for region XX..."; INVALID_ARGUMENT naming the region when
// `default_region` is unknown. The input is redacted in messages (all but the
// last two digits masked) because errors end up in logs.
absl::StatusOr<PhoneNumber> ParsePhone(std::string_view input,
                                       std::string_view default_region = "US");
// ParsePhone(...)->e164.
absl::StatusOr<std::string> NormalizeE164(std::string_view input,
                                          std::string_view default_region = "US");

// True for a US/CA common short code: 5 or 6 digits not starting with 0,
// optionally with spaces or '-' between digits ("12345", "123-456"). Short
// codes are valid senders but not E.164 numbers, so ParsePhone rejects them.
bool IsShortCode(std::string_view input);

std::string_view NumberTypeName(NumberType type);  // "mobile", "toll_free", ...

}  // namespace smsflow::sms
