#include "services/ingest/inbound_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smsflow::ingest {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string ErrorOf(InboundFields in, InboundLimits limits = {}) {
  auto r = ValidateInbound(in, limits);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

TEST(InboundValidationTest, NormalisesNumbersAndCountsSegments) {
  auto r = ValidateInbound({"(415) 555-0123", "+1 415 555 0100", "BALANCE"}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->from, "+14155550123");
  EXPECT_EQ(r->to, "+14155550100");
  EXPECT_EQ(r->segments.segments, 1);
  EXPECT_EQ(r->segments.encoding, sms::Encoding::kGsm7);
}

TEST(InboundValidationTest, ShortCodeDestinationIsKeptAsDigits) {
  auto r = ValidateInbound({"+14155550123", "55555", "STOP"}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->to, "55555");
}

TEST(InboundValidationTest, EachRejectionNamesItsField) {
  EXPECT_THAT(ErrorOf({"", "+14155550100", "hi"}), StartsWith("from: required"));
  EXPECT_THAT(ErrorOf({"not a number", "+14155550100", "hi"}), StartsWith("from: "));
  EXPECT_THAT(ErrorOf({"+14155550123", "", "hi"}), StartsWith("to: required"));
  EXPECT_THAT(ErrorOf({"+14155550123", "+1", "hi"}), StartsWith("to: "));
  EXPECT_THAT(ErrorOf({"+14155550123", "+14155550100", ""}), StartsWith("body: empty"));
  EXPECT_THAT(ErrorOf({"+14155550123", "+14155550100", std::string("\xc3\x28", 2)}),
              StartsWith("body: "));
  EXPECT_THAT(ErrorOf({"+14155550123", "+14155550100", "hi", -1}), StartsWith("num_media: "));
}

TEST(InboundValidationTest, MediaOnlyMessageIsAccepted) {
  auto r = ValidateInbound({"+14155550123", "+14155550100", "", 1}, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->segments.segments, 0);
}

TEST(InboundValidationTest, BodyLimitCountsCharactersNotBytes) {
  const std::string ten_emoji = [] {
    std::string s;
    for (int i = 0; i < 10; ++i) s += "\xF0\x9F\x98\x80";  // U+1F600, 4 bytes each
    return s;
  }();
  EXPECT_TRUE(
      ValidateInbound({"+14155550123", "+14155550100", ten_emoji}, {.max_body_chars = 10}).ok());
  EXPECT_THAT(ErrorOf({"+14155550123", "+14155550100", ten_emoji + "x"}, {.max_body_chars = 10}),
              HasSubstr("11 characters is over the limit of 10"));
}

}  // namespace
}  // namespace smsflow::ingest
