#include "lib/keywords/text_normalizer.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::keywords {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TextNormalizerTest, UpperCasesAndStripsSurroundingPunctuationAndSpace) {
  EXPECT_EQ(Normalize("  Stop!! ").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("\t\"stop.\"\n").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("¡STOP!").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("stop?").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("Stop...").KeywordForm(), "STOP");
}

TEST(TextNormalizerTest, EmojiAndSymbolsAreDecoration) {
  EXPECT_EQ(Normalize("stop 🛑").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("🛑STOP🛑").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("✋ stop ✋🏽").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("STOP :)").KeywordForm(), "STOP");
  EXPECT_THAT(Normalize("👍🏻🎉").tokens, IsEmpty());
}

TEST(TextNormalizerTest, HyphensUnderscoresAndRunsOfSpaceJoinWords) {
  EXPECT_EQ(Normalize("opt-out").KeywordForm(), "OPT OUT");
  EXPECT_EQ(Normalize("OPT  OUT").KeywordForm(), "OPT OUT");
  EXPECT_EQ(Normalize("Opt_out").KeywordForm(), "OPT OUT");
  EXPECT_EQ(Normalize("opt\u2011out").KeywordForm(), "OPT OUT");  // non-breaking hyphen
}

TEST(TextNormalizerTest, InternalClausePunctuationIsNotAKeyword) {
  EXPECT_EQ(Normalize("Stop. All").KeywordForm(), "");
  EXPECT_THAT(Normalize("Stop. All").tokens, ElementsAre("STOP", ".", "ALL"));
  EXPECT_EQ(Normalize("STOP - I never signed up").PhraseForm(), "STOP . I NEVER SIGNED UP");
}

TEST(TextNormalizerTest, ApostrophesJoinContractions) {
  EXPECT_EQ(Normalize("don't").KeywordForm(), "DONT");
  EXPECT_EQ(Normalize("don\u2019t text me").KeywordForm(), "DONT TEXT ME");
  EXPECT_EQ(Normalize("'stop'").KeywordForm(), "STOP");
}

TEST(TextNormalizerTest, FoldsLatinAccentsAndOtherScripts) {
  EXPECT_EQ(Normalize("ARRÊT").KeywordForm(), "ARRET");
  EXPECT_EQ(Normalize("arrêt").KeywordForm(), "ARRET");
  EXPECT_EQ(Normalize("arre\u0302t").KeywordForm(), "ARRET");  // decomposed accent
  EXPECT_EQ(Normalize("más").KeywordForm(), "MAS");
  EXPECT_EQ(Normalize("Straße").KeywordForm(), "STRASSE");
  EXPECT_EQ(Normalize("ＳＴＯＰ").KeywordForm(), "STOP");  // fullwidth
  EXPECT_EQ(Normalize("стоп").KeywordForm(), "СТОП");
  EXPECT_EQ(Normalize("στοπ ς").KeywordForm(), "ΣΤΟΠ Σ");
}

TEST(TextNormalizerTest, InvalidUtf8NeverCrashesAndSeparatesWords) {
  EXPECT_EQ(Normalize("\xff\xfeSTOP\xc3").KeywordForm(), "STOP");
  EXPECT_EQ(Normalize("ST\x80OP").KeywordForm(), "ST OP");
  EXPECT_EQ(Normalize("\xed\xa0\x80").KeywordForm(), "");  // surrogate
  EXPECT_EQ(Normalize("\xc0\xaf"
                      "a")
                .KeywordForm(),
            "A");  // overlong '/'
  EXPECT_EQ(Normalize(std::string("st\0op", 5)).KeywordForm(), "ST OP");
}

TEST(TextNormalizerTest, EmptyAndWhitespaceOnly) {
  EXPECT_THAT(Normalize("").tokens, IsEmpty());
  EXPECT_THAT(Normalize(" \t\r\n ").tokens, IsEmpty());
  EXPECT_THAT(Normalize("!!! ... ???").tokens, IsEmpty());
  EXPECT_EQ(NormalizeKeyword("  "), "");
}

TEST(TextNormalizerTest, PhraseFormKeepsOneMarkerBetweenClauses) {
  EXPECT_EQ(Normalize("Why do you keep texting me?!? stop.").PhraseForm(),
            "WHY DO YOU KEEP TEXTING ME . STOP");
}

}  // namespace
}  // namespace smsflow::keywords
