#include "lib/sms/phone.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::sms {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void ExpectInvalid(std::string_view input, std::string_view why,
                   std::string_view default_region = "US") {
  absl::StatusOr<PhoneNumber> n = ParsePhone(input, default_region);
  ASSERT_FALSE(n.ok()) << "'" << input << "' parsed as " << n->e164;
  EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument) << n.status();
  EXPECT_THAT(n.status().message(), HasSubstr("is not a valid number: "));
  EXPECT_THAT(n.status().message(), HasSubstr(why)) << input;
}

TEST(SmsParsePhone, UsFormatsNormaliseToTheSameE164) {
  for (std::string_view input :
       {"+1 (650) 253-0000", "+16502530000", "(650) 253-0000", "650.253.0000", "650-253-0000",
        "6502530000", "1 650 253 0000", "+1-650-253-0000", " +1 650 253 0000 ",
        "tel:+1-650-253-0000", "011 1 650 253 0000"}) {
    absl::StatusOr<std::string> e164 = NormalizeE164(input);
    ASSERT_TRUE(e164.ok()) << input << ": " << e164.status();
    EXPECT_EQ(*e164, "+16502530000") << input;
  }
}

TEST(SmsParsePhone, UsNumberFields) {
  absl::StatusOr<PhoneNumber> n = ParsePhone("(405) 521-2011");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->e164, "+14055212011");
  EXPECT_EQ(n->region, "US");
  EXPECT_EQ(n->country_code, 1);
  EXPECT_EQ(n->area_code, "405");
  EXPECT_EQ(n->type, NumberType::kFixedLineOrMobile);

  absl::StatusOr<PhoneNumber> fl = ParsePhone("+1 305 555 1234");  // Miami.
  ASSERT_TRUE(fl.ok()) << fl.status();
  EXPECT_EQ(fl->area_code, "305");

  absl::StatusOr<PhoneNumber> ca = ParsePhone("+1 416 555 0123");  // Toronto.
  ASSERT_TRUE(ca.ok()) << ca.status();
  EXPECT_EQ(ca->region, "CA");
  EXPECT_EQ(ca->area_code, "416");
}

TEST(SmsParsePhone, TollFree) {
  absl::StatusOr<PhoneNumber> n = ParsePhone("1-800-642-7676");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(n->e164, "+18006427676");
  EXPECT_EQ(n->type, NumberType::kTollFree);
  EXPECT_EQ(n->area_code, "");  // Not geographic: no location to presume.
  EXPECT_EQ(NumberTypeName(n->type), "toll_free");
}

TEST(SmsParsePhone, InternationalNumbersWithPlus) {
  struct Case {
    std::string_view input, e164, region;
    int country_code;
    NumberType type;
  };
  for (const Case& k : {
           Case{"+44 20 7946 0958", "+442079460958", "GB", 44, NumberType::kFixedLine},
           Case{"+44 7400 123456", "+447400123456", "GB", 44, NumberType::kMobile},
           Case{"+49 30 12345678", "+493012345678", "DE", 49, NumberType::kFixedLine},
           Case{"+49 1512 3456789", "+4915123456789", "DE", 49, NumberType::kMobile},
           Case{"+91 98765 43210", "+919876543210", "IN", 91, NumberType::kMobile},
       }) {
    absl::StatusOr<PhoneNumber> n = ParsePhone(k.input);  // Default region US: '+' wins.
    ASSERT_TRUE(n.ok()) << k.input << ": " << n.status();
    EXPECT_EQ(n->e164, k.e164);
    EXPECT_EQ(n->region, k.region);
    EXPECT_EQ(n->country_code, k.country_code);
    EXPECT_EQ(n->type, k.type) << k.input << " " << NumberTypeName(n->type);
  }
  absl::StatusOr<PhoneNumber> london = ParsePhone("+44 20 7946 0958");
  ASSERT_TRUE(london.ok());
  EXPECT_EQ(london->area_code, "20");
}

TEST(SmsParsePhone, DefaultRegionOnlyAppliesWithoutPlus) {
  EXPECT_EQ(NormalizeE164("020 7946 0958", "GB").value_or(""), "+442079460958");
  EXPECT_EQ(NormalizeE164("0044 20 7946 0958", "GB").value_or(""), "+442079460958");
  EXPECT_EQ(NormalizeE164("0044 20 7946 0958", "de").value_or(""), "+442079460958");
  EXPECT_EQ(NormalizeE164("011 44 20 7946 0958", "US").value_or(""), "+442079460958");
  // 00 is not the US international prefix: no other region is guessed.
  EXPECT_FALSE(NormalizeE164("0044 20 7946 0958", "US").ok());
  // A UK national number is not a US number.
  EXPECT_FALSE(NormalizeE164("020 7946 0958", "US").ok());
  // Without a default region only '+' numbers parse.
  EXPECT_TRUE(NormalizeE164("+16502530000", "").ok());
  ExpectInvalid("6502530000", "cannot parse", "");
}

TEST(SmsParsePhone, UnknownDefaultRegionIsRejected) {
  absl::StatusOr<PhoneNumber> n = ParsePhone("6502530000", "XX");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(n.status().message(), HasSubstr("default region 'XX'"));
}

TEST(SmsParsePhone, InvalidNumbersNameTheReason) {
  ExpectInvalid("", "empty");
  ExpectInvalid("   ", "empty");
  ExpectInvalid("abc", "cannot parse");
  ExpectInvalid("+", "cannot parse");
  ExpectInvalid("+999 1234 5678", "cannot parse");  // No such country code.
  ExpectInvalid("12", "too short");
  ExpectInvalid("555-0100", "too short");  // Missing area code.
  ExpectInvalid("+1 650 253 00001", "too long");
  ExpectInvalid("+1 123 456 7890", "invalid for region US");  // NPA cannot start with 1.
  ExpectInvalid(std::string(10000, '5'), "too long");
  ExpectInvalid("650 253 0000 ext. 12", "extension");
}

TEST(SmsParsePhone, ErrorsRedactTheNumber) {
  absl::StatusOr<PhoneNumber> n = ParsePhone("+1 650 253 00001");
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(), HasSubstr("'+* *** *** ***01'"));
  EXPECT_THAT(n.status().message(), Not(HasSubstr("253")));
}

TEST(SmsParsePhone, GarbageNeverCrashes) {
  const std::string inputs[] = {"+",
                                "++1",
                                "+0",
                                "0",
                                "-",
                                "()",
                                "\xFF\xFE\x00\x01",
                                "+1 ",
                                "tel:",
                                "tel:+",
                                "#*",
                                "\xE2\x80\x8B",
                                "+١٢٣",
                                std::string(300, '+'),
                                std::string(1 << 16, 'x'),
                                std::string("+1650\0"
                                            "2530000",
                                            12),
                                "+1 650 253 0000;ext=1",
                                "+44 (0) 20 7946 0958 ext 1234567890123456789"};
  for (const std::string& input : inputs) {
    absl::StatusOr<PhoneNumber> n = ParsePhone(input);
    if (!n.ok()) {
      EXPECT_EQ(n.status().code(), absl::StatusCode::kInvalidArgument) << n.status();
    }
  }
}

TEST(SmsIsShortCode, UsAndCanadianShortCodes) {
  for (std::string_view yes : {"12345", "123456", "22395", "898-211", "898 211"}) {
    EXPECT_TRUE(IsShortCode(yes)) << yes;
  }
  for (std::string_view no : {"", "1234", "1234567", "01234", "+12345", "12a45", " 12345", "12345-",
                              "12--345", "911", "6502530000"}) {
    EXPECT_FALSE(IsShortCode(no)) << no;
  }
  EXPECT_FALSE(ParsePhone("12345").ok());  // Short codes are not E.164.
}

}  // namespace
}  // namespace smsflow::sms
