#include "services/ingest/webhook/form.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smsflow::ingest::webhook {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::string ErrorOf(std::string_view body) {
  auto r = ParseForm(body);
  if (r.ok()) return "(parsed)";
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(r.status().message());
}

TEST(ParseFormTest, DecodesPercentEscapesAndPlus) {
  auto r = ParseForm("Body=Hello+world%21+%2B1%20%e2%82%ac&From=%2B14155550123");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(
      *r, ElementsAre(Pair("Body", "Hello world! +1 \xE2\x82\xAC"), Pair("From", "+14155550123")));
}

TEST(ParseFormTest, DecodesNamesToo) {
  auto r = ParseForm("Media+Url%30=x");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, ElementsAre(Pair("Media Url0", "x")));
}

TEST(ParseFormTest, EmptyValuesAndNamesWithoutEquals) {
  auto r = ParseForm("Body=&NumMedia=0&Flag&Other=");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, ElementsAre(Pair("Body", ""), Pair("NumMedia", "0"), Pair("Flag", ""),
                              Pair("Other", "")));
}

TEST(ParseFormTest, ValueMayContainEquals) {
  auto r = ParseForm("q=a=b%3Dc");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, ElementsAre(Pair("q", "a=b=c")));
}

TEST(ParseFormTest, RepeatedNamesKeptInOrder) {
  auto r = ParseForm("MediaUrl=b&To=1&MediaUrl=a&MediaUrl=b");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, ElementsAre(Pair("MediaUrl", "b"), Pair("To", "1"), Pair("MediaUrl", "a"),
                              Pair("MediaUrl", "b")));
}

TEST(ParseFormTest, EmptyBodyAndEmptyPairs) {
  auto empty = ParseForm("");
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(*empty, IsEmpty());
  auto r = ParseForm("&a=1&&b=2&");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, ElementsAre(Pair("a", "1"), Pair("b", "2")));
}

TEST(ParseFormTest, MalformedPercentEscapesAreRejectedWithTheirPosition) {
  EXPECT_EQ(ErrorOf("Body=abc%"), "form body: malformed percent escape (Body) at byte 8");
  EXPECT_EQ(ErrorOf("Body=%4"), "form body: malformed percent escape (Body) at byte 5");
  EXPECT_EQ(ErrorOf("a=1&Body=x%G1"), "form body: malformed percent escape (Body) at byte 10");
  EXPECT_EQ(ErrorOf("Body=%4g"), "form body: malformed percent escape (Body) at byte 5");
  EXPECT_EQ(ErrorOf("Bo%zdy=1"), "form body: malformed percent escape at byte 2");
  EXPECT_EQ(ErrorOf("Body=100%+sure"), "form body: malformed percent escape (Body) at byte 8");
}

TEST(ParseFormTest, InvalidUtf8IsRejected) {
  EXPECT_EQ(ErrorOf("Body=%FF"), "form body: value (Body) is not valid UTF-8 at byte 5");
  // Overlong encoding of '/', a lone surrogate, a truncated sequence.
  EXPECT_THAT(ErrorOf("Body=%C0%AF"), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(ErrorOf("Body=%ED%A0%80"), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(ErrorOf("a=1&Body=%E2%82"), HasSubstr("(Body) is not valid UTF-8 at byte 9"));
  // Raw (unescaped) bytes are checked the same way.
  EXPECT_THAT(ErrorOf("Body=\xFF"), HasSubstr("not valid UTF-8"));
  EXPECT_EQ(ErrorOf("%FF=1"), "form body: parameter name is not valid UTF-8 at byte 0");
}

TEST(ParseFormTest, EmptyNameIsRejected) {
  EXPECT_EQ(ErrorOf("a=1&=2"), "form body: parameter without a name at byte 4");
}

TEST(ParseFormTest, ErrorsNeverQuoteValues) {
  const std::string err = ErrorOf("Body=my+secret+code+1234%");
  EXPECT_THAT(err, ::testing::Not(HasSubstr("secret")));
}

TEST(PercentDecodeTest, DecodesOrNamesTheBadByte) {
  EXPECT_EQ(*PercentDecode("a+b%2Fc"), "a b/c");
  EXPECT_EQ(PercentDecode("ab%2").status().message(), "malformed percent escape at byte 2");
}

}  // namespace
}  // namespace smsflow::ingest::webhook
