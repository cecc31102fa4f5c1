#include "lib/sms/segments.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::sms {
namespace {

using ::testing::HasSubstr;

constexpr char kEmoji[] = "\xF0\x9F\x98\x80";  // U+1F600, outside the BMP.
constexpr char kCyrillic[] = "\xD0\x96";       // U+0416 Ж, in the BMP, not GSM.

SegmentCount Count(std::string_view text) {
  absl::StatusOr<SegmentCount> count = CountSegments(text);
  EXPECT_TRUE(count.ok()) << count.status();
  return count.ok() ? *count : SegmentCount{};
}

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out.append(s);
  return out;
}

TEST(SmsCountSegments, EmptyTextIsZeroSegments) {
  SegmentCount c = Count("");
  EXPECT_EQ(c.encoding, Encoding::kGsm7);
  EXPECT_EQ(c.units, 0);
  EXPECT_EQ(c.segments, 0);
  EXPECT_EQ(c.characters, 0);
}

TEST(SmsCountSegments, GsmBoundaries) {
  struct Case {
    int length;
    int segments;
    int per_segment;
  };
  for (Case k : {Case{1, 1, 160}, Case{160, 1, 160}, Case{161, 2, 153}, Case{306, 2, 153},
                 Case{307, 3, 153}, Case{459, 3, 153}, Case{460, 4, 153}}) {
    SegmentCount c = Count(std::string(k.length, 'a'));
    EXPECT_EQ(c.encoding, Encoding::kGsm7) << k.length;
    EXPECT_EQ(c.units, k.length);
    EXPECT_EQ(c.characters, k.length);
    EXPECT_EQ(c.segments, k.segments) << k.length;
    EXPECT_EQ(c.units_per_segment, k.per_segment) << k.length;
  }
}

TEST(SmsCountSegments, Ucs2Boundaries) {
  struct Case {
    int length;
    int segments;
    int per_segment;
  };
  for (Case k :
       {Case{1, 1, 70}, Case{70, 1, 70}, Case{71, 2, 67}, Case{134, 2, 67}, Case{135, 3, 67}}) {
    SegmentCount c = Count(Repeat(kCyrillic, k.length));
    EXPECT_EQ(c.encoding, Encoding::kUcs2) << k.length;
    EXPECT_EQ(c.units, k.length);
    EXPECT_EQ(c.characters, k.length);
    EXPECT_EQ(c.segments, k.segments) << k.length;
    EXPECT_EQ(c.units_per_segment, k.per_segment) << k.length;
  }
}

TEST(SmsCountSegments, ExtensionCharactersCostTwoSeptets) {
  for (std::string_view ext :
       {"\xE2\x82\xAC" /* € */, "{", "}", "[", "]", "~", "\\", "|", "^", "\f"}) {
    SegmentCount one = Count(ext);
    EXPECT_EQ(one.encoding, Encoding::kGsm7) << ext;
    EXPECT_EQ(one.units, 2) << ext;
    EXPECT_EQ(one.characters, 1) << ext;
  }
  SegmentCount c = Count(std::string(159, 'a') + "\xE2\x82\xAC");
  EXPECT_EQ(c.units, 161);
  EXPECT_EQ(c.segments, 2);
  EXPECT_EQ(Count(std::string(158, 'a') + "{").segments, 1);
  EXPECT_EQ(Count(std::string(159, 'a') + "{").segments, 2);
}

TEST(SmsCountSegments, FullBasicTableIsGsm) {
  const std::string basic =
      "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  SegmentCount c = Count(basic);
  EXPECT_EQ(c.encoding, Encoding::kGsm7);
  EXPECT_EQ(c.characters, 127);  // 128 codes minus ESC.
  EXPECT_EQ(c.units, 127);
  EXPECT_TRUE(IsGsm7(basic));
}

TEST(SmsCountSegments, NonGsmCharactersForceUcs2) {
  EXPECT_EQ(Count("caf\xC3\xA9").encoding, Encoding::kGsm7);  // é
  SegmentCount c = Count("caf\xC3\xA1");                      // á
  EXPECT_EQ(c.encoding, Encoding::kUcs2);
  EXPECT_EQ(c.units, 4);
  // Characters that look ASCII-ish but are not in GSM-7.
  const std::string_view not_gsm[] = {"`", "\t", std::string_view("\0", 1), "\x1B",
                                      "\xC3\xA7" /* ç */};
  for (std::string_view s : not_gsm) {
    EXPECT_EQ(Count(s).encoding, Encoding::kUcs2) << static_cast<int>(s[0]);
  }
}

TEST(SmsCountSegments, EmojiMakesWholeTextUcs2AndCountsTwoUnits) {
  SegmentCount c = Count(std::string("Hi ") + kEmoji);
  EXPECT_EQ(c.encoding, Encoding::kUcs2);
  EXPECT_EQ(c.units, 5);
  EXPECT_EQ(c.characters, 4);
  EXPECT_EQ(c.segments, 1);
  // Extension chars are one UTF-16 unit once the text is UCS-2.
  EXPECT_EQ(Count(std::string("{") + kEmoji).units, 3);
  EXPECT_EQ(Count(std::string(68, 'a') + kEmoji).segments, 1);  // 70 units.
  EXPECT_EQ(Count(std::string(69, 'a') + kEmoji).segments, 2);  // 71 units.
}

TEST(SmsCountSegments, EscapePairIsNeverSplitAcrossParts) {
  // 152 + 2 + 152 = 306 septets: ceil(306 / 153) = 2, but part 1 can only take
  // the 152 'a's (the '{' needs 2 septets, 1 is left), so part 2 gets 154.
  SegmentCount c = Count(std::string(152, 'a') + "{" + std::string(152, 'a'));
  EXPECT_EQ(c.units, 306);
  EXPECT_EQ(c.segments, 3);
  EXPECT_EQ(c.units_per_segment, 153);
  // One 'a' fewer fits: part 2 holds exactly 153.
  EXPECT_EQ(Count(std::string(152, 'a') + "{" + std::string(151, 'a')).segments, 2);
  // An escape pair that ends exactly at the boundary stays in part 1.
  EXPECT_EQ(Count(std::string(151, 'a') + "{" + std::string(153, 'a')).segments, 2);
}

TEST(SmsCountSegments, SurrogatePairIsNeverSplitAcrossParts) {
  // 66 + 2 + 66 = 134 units: ceil(134 / 67) = 2, but the emoji cannot take the
  // last unit of part 1, so part 2 gets 68.
  SegmentCount c = Count(std::string(66, 'a') + kEmoji + std::string(66, 'a'));
  EXPECT_EQ(c.encoding, Encoding::kUcs2);
  EXPECT_EQ(c.units, 134);
  EXPECT_EQ(c.segments, 3);
  EXPECT_EQ(c.units_per_segment, 67);
  EXPECT_EQ(Count(std::string(65, 'a') + kEmoji + std::string(67, 'a')).segments, 2);
  EXPECT_EQ(Count(Repeat(kEmoji, 67)).segments, 3);  // 134 units, 33 emoji per part.
}

TEST(SmsCountSegments, RejectsInvalidUtf8WithBytePosition) {
  struct Case {
    std::string_view text;
    int byte;
  };
  for (Case k : {
           Case{"ab\x80", 2},              // Stray continuation byte.
           Case{"a\xC0\xAF", 1},           // Overlong '/'.
           Case{"\xE0\x80\xAF", 0},        // Overlong 3-byte.
           Case{"xy\xF0\x80\x80\xAF", 2},  // Overlong 4-byte.
           Case{"ok\xED\xA0\x80", 2},      // UTF-16 surrogate U+D800.
           Case{"\xF4\x90\x80\x80", 0},    // U+110000.
           Case{"\xF5\x80\x80\x80", 0},    // Lead byte past U+10FFFF.
           Case{"abc\xE2\x82", 3},         // Truncated €.
           Case{"\xC3", 0},                // Truncated at end.
           Case{"\xC3(", 0},               // Bad continuation.
           Case{"hello \xFF", 6},
       }) {
    absl::StatusOr<SegmentCount> c = CountSegments(k.text);
    ASSERT_FALSE(c.ok()) << k.byte;
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(c.status().message(), "text is not valid UTF-8 at byte " + std::to_string(k.byte));
    EXPECT_FALSE(IsValidUtf8(k.text));
    EXPECT_FALSE(IsGsm7(k.text));
  }
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF itself is fine.
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));      // U+FFFF.
}

TEST(SmsSmartEncode, TurnsTypographicPunctuationIntoGsm) {
  const std::string fancy =
      "\xE2\x80\x9CHi\xE2\x80\x9D \xE2\x80\x94 it\xE2\x80\x99s 9\xE2\x80\x93"
      "5\xC2\xA0today\xE2\x80\xA6";  // “Hi” — it’s 9–5<NBSP>today…
  EXPECT_EQ(Count(fancy).encoding, Encoding::kUcs2);
  const std::string plain = SmartEncode(fancy);
  EXPECT_EQ(plain, "\"Hi\" - it's 9-5 today...");
  SegmentCount c = Count(plain);
  EXPECT_EQ(c.encoding, Encoding::kGsm7);
  EXPECT_EQ(c.units, 24);
  EXPECT_TRUE(IsGsm7(plain));
}

TEST(SmsSmartEncode, RemovesInvisibleCharactersAndLeavesTheRest) {
  EXPECT_EQ(SmartEncode("a\xE2\x80\x8B"
                        "b\xC2\xAD"
                        "c\xEF\xBB\xBF"),
            "abc");
  // Not look-alikes: left as they are, so the text stays UCS-2.
  const std::string keep = std::string("\xE2\x80\xA2 caf\xC3\xA1 ") + kEmoji + "\xC2\xAB";
  EXPECT_EQ(SmartEncode(keep), keep);
  EXPECT_EQ(SmartEncode("plain ASCII {}"), "plain ASCII {}");
  EXPECT_EQ(SmartEncode("bad \xFF byte"), "bad \xFF byte");  // Passed through.
  EXPECT_EQ(SmartEncode(""), "");
}

TEST(SmsEncoding, Names) {
  EXPECT_EQ(EncodingName(Encoding::kGsm7), "GSM-7");
  EXPECT_EQ(EncodingName(Encoding::kUcs2), "UCS-2");
}

TEST(SmsIsGsm7, EmptyAndMixed) {
  EXPECT_TRUE(IsGsm7(""));
  EXPECT_TRUE(IsGsm7("Price: 5\xE2\x82\xAC [ok]"));
  EXPECT_FALSE(IsGsm7(std::string("hi ") + kEmoji));
}

}  // namespace
}  // namespace smsflow::sms
