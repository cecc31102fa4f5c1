#include "services/router/rules/normalize.h"

#include <gtest/gtest.h>

namespace smsflow::router {
namespace {

TEST(NormalizeForMatch, FoldsCaseTrimsPunctuationAndCollapsesSpaces) {
  EXPECT_EQ(NormalizeForMatch("  Stop!! "), "stop");
  EXPECT_EQ(NormalizeForMatch("Balance,   please."), "balance, please");
  EXPECT_EQ(NormalizeForMatch("\t\"OPT-OUT\"\n"), "opt-out");
  EXPECT_EQ(NormalizeForMatch("?!..."), "");
  EXPECT_EQ(NormalizeForMatch(""), "");
  EXPECT_EQ(NormalizeForMatch("Café OK"), "café ok");  // non-ASCII kept as is
}

TEST(FirstWords, StripsPunctuationOfTheLastWord) {
  EXPECT_EQ(FirstWords("balance, please", 1), "balance");
  EXPECT_EQ(FirstWords("opt out now", 2), "opt out");
  EXPECT_EQ(FirstWords("hours", 1), "hours");
  EXPECT_EQ(FirstWords("hours", 2), "");
  EXPECT_EQ(FirstWords("", 1), "");
  EXPECT_EQ(CountWords("opt out now"), 3);
  EXPECT_EQ(CountWords(""), 0);
}

TEST(NormalizeForModel, TokenizesLikeTheTrainingCorpus) {
  EXPECT_EQ(NormalizeForModel("What time do U open Sat??"), "what time do u open sat ? ?");
  EXPECT_EQ(NormalizeForModel("don't  text me"), "dont text me");
  EXPECT_EQ(NormalizeForModel("don\u2019t"), "dont");
  EXPECT_EQ(NormalizeForModel("order #48213 at 10:30"), "order # 0 at 0 : 0");
  EXPECT_EQ(NormalizeForModel("thanks\U0001F60A!"), "thanks \U0001F60A !");
  EXPECT_EQ(NormalizeForModel("  "), "");
}

}  // namespace
}  // namespace smsflow::router
