#include "lib/sms/phone.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace smsflow::sms {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;
using LibNumber = i18n::phonenumbers::PhoneNumber;

// Longer than any formatted number a person writes; libphonenumber itself
// gives up at 250. Checked first so huge inputs cost nothing.
constexpr std::size_t kMaxInputBytes = 128;
constexpr std::size_t kMaxRedactedBytes = 32;

// Error messages reach logs, which must never hold a full phone number
// (STYLE.md 10): mask every digit but the last two, replace bytes that are not
// printable ASCII, and cut long input short.
// Debian's abseil is built with its own absl::string_view (not std's).
absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string Redact(std::string_view input) {
  int digits_left = 0;
  for (char c : input) digits_left += absl::ascii_isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  std::string out;
  const std::size_t n = std::min(input.size(), kMaxRedactedBytes);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(input[i]);
    if (absl::ascii_isdigit(c)) {
      out.push_back(digits_left-- > 2 ? '*' : static_cast<char>(c));
    } else {
      out.push_back(absl::ascii_isprint(c) && c != '\'' ? static_cast<char>(c) : '?');
    }
  }
  if (input.size() > n) out.append("...");
  return out;
}

absl::Status Invalid(std::string_view input, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("phone number '", Redact(input), "' is not a valid number: ", AbslView(why)));
}

NumberType MapType(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE:
      return NumberType::kFixedLine;
    case PhoneNumberUtil::MOBILE:
      return NumberType::kMobile;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return NumberType::kFixedLineOrMobile;
    case PhoneNumberUtil::TOLL_FREE:
      return NumberType::kTollFree;
    case PhoneNumberUtil::VOIP:
      return NumberType::kVoip;
    case PhoneNumberUtil::UNKNOWN:
      return NumberType::kUnknown;
    default:
      return NumberType::kOther;
  }
}

std::string AreaCode(const PhoneNumberUtil& util, const LibNumber& number, NumberType type) {
  const bool maybe_geographic = type == NumberType::kFixedLine ||
                                type == NumberType::kFixedLineOrMobile ||
                                type == NumberType::kMobile || type == NumberType::kVoip;
  if (!maybe_geographic) return {};  // libphonenumber would say 0 for these too.
  std::string nsn;
  util.GetNationalSignificantNumber(number, &nsn);
  if (number.country_code() == 1) {
    // NANP: the area code (NPA) is always the first 3 of 10 digits. Taking it
    // directly matches GetLengthOfGeographicalAreaCode for fixed-line numbers
    // and skips its ~20us of regex work on the hot path; for mobile and VoIP
    // numbers, which libphonenumber calls non-geographic in some NANP regions,
    // the NPA still presumes the location for quiet-hour rules.
    return nsn.size() == 10 ? nsn.substr(0, 3) : std::string();
  }
  const int len = util.GetLengthOfGeographicalAreaCode(number);
  return len > 0 && static_cast<std::size_t>(len) <= nsn.size()
             ? nsn.substr(0, static_cast<std::size_t>(len))
             : std::string();
}

absl::StatusOr<PhoneNumber> ParseUnguarded(std::string_view input,
                                           std::string_view default_region) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::string region = absl::AsciiStrToUpper(AbslView(default_region));
  if (region.empty()) region = "ZZ";  // libphonenumber's "unknown region": '+' required.
  if (region != "ZZ" && util.GetCountryCodeForRegion(region) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("default region '", Redact(default_region), "' is not a known region"));
  }
  if (absl::StripAsciiWhitespace(AbslView(input)).empty()) return Invalid(input, "empty");
  if (input.size() > kMaxInputBytes) return Invalid(input, "too long");

  LibNumber number;
  switch (util.Parse(std::string(input), region, &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return Invalid(input, region == "ZZ" ? "cannot parse: no '+' and no default region"
                                           : "cannot parse: unknown country calling code");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Invalid(input, "too short");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Invalid(input, "too long");
    default:
      return Invalid(input, "cannot parse");
  }
  if (number.has_extension()) return Invalid(input, "cannot parse: an extension cannot get SMS");

  // IsValidNumber would look the region up itself; doing it once here and
  // validating against it is the same check with one regex scan fewer.
  std::string number_region;
  util.GetRegionCodeForNumber(number, &number_region);
  if (!util.IsValidNumberForRegion(number, number_region)) {
    // The number matched no region; name the country code's main one.
    util.GetRegionCodeForCountryCode(number.country_code(), &number_region);
    switch (util.IsPossibleNumberWithReason(number)) {
      case PhoneNumberUtil::TOO_SHORT:
      case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:  // e.g. 7 digits without area code.
        return Invalid(input, "too short");
      case PhoneNumberUtil::TOO_LONG:
        return Invalid(input, "too long");
      case PhoneNumberUtil::INVALID_LENGTH:
        return Invalid(input, absl::StrCat("invalid for region ", number_region, " (length)"));
      default:
        return Invalid(input, absl::StrCat("invalid for region ", number_region));
    }
  }

  PhoneNumber out;
  util.Format(number, PhoneNumberUtil::E164, &out.e164);
  out.region = std::move(number_region);
  out.country_code = number.country_code();
  out.type = MapType(util.GetNumberType(number));
  out.area_code = AreaCode(util, number, out.type);
  return out;
}

}  // namespace

absl::StatusOr<PhoneNumber> ParsePhone(std::string_view input, std::string_view default_region) {
  // libphonenumber reports errors by value; this guard only keeps a surprise
  // (allocation failure, a library bug) from unwinding through callers.
  try {
    return ParseUnguarded(input, default_region);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("phone number parsing failed: ", e.what()));
  } catch (...) {
    return absl::InternalError("phone number parsing failed");
  }
}

absl::StatusOr<std::string> NormalizeE164(std::string_view input, std::string_view default_region) {
  absl::StatusOr<PhoneNumber> number = ParsePhone(input, default_region);
  if (!number.ok()) return number.status();
  return std::move(number->e164);
}

bool IsShortCode(std::string_view input) {
  int digits = 0;
  bool last_was_separator = true;  // No leading separator.
  for (char c : input) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      if (digits == 0 && c == '0') return false;
      ++digits;
      last_was_separator = false;
    } else if ((c == ' ' || c == '-') && !last_was_separator) {
      last_was_separator = true;
    } else {
      return false;
    }
  }
  return !last_was_separator && (digits == 5 || digits == 6);
}

std::string_view NumberTypeName(NumberType type) {
  switch (type) {
    case NumberType::kUnknown:
      return "unknown";
    case NumberType::kMobile:
      return "mobile";
    case NumberType::kFixedLine:
      return "fixed_line";
    case NumberType::kFixedLineOrMobile:
      return "fixed_line_or_mobile";
    case NumberType::kTollFree:
      return "toll_free";
    case NumberType::kVoip:
      return "voip";
    case NumberType::kShortCode:
      return "short_code";
    case NumberType::kOther:
      return "other";
  }
  return "unknown";
}

}  // namespace smsflow::sms
