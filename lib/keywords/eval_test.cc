// Holds the classifier to issue 4's targets on the held-out TEST split of
// data/opt_out_eval.tsv (rules were tuned on the dev split only).
// History: at the first freeze test was precision 1.0000, recall 0.9592
// (141/147), and its second batch alone (written after that freeze) 26/30 =
// 0.87. The rules for those misses (commit 8ce1027) bring test to 1.0000 /
// 1.0000 - no longer an honest estimate, since the misses were fixed by name.
// test2, written after 8ce1027 and evaluated once: precision 0.9677 (60/62),
// recall 0.8571 (60/70); after fixing one egregious bug it exposed (a
// macro's "|" splitting rules: "thanks for the service" was an opt-out)
// precision 0.9836 (60/61), recall 0.8571 (60/70). Its misses were then
// generalised (2026-12-04), so it became dev2. Then test3:
// half of a batch by two authors who never saw the rules, held out until the
// rules were frozen and evaluated once: precision 1.0000, recall 0.8404
// (79/94). Its misses were generalised in turn (it became dev4); test4, a
// fresh batch by two more authors, measured 0.9876 / 0.8785 (159/181) once;
// generalised in turn (dev5). test5, two more authors: 0.9882 / 0.9032
// (168/186) once; generalised (dev6). test6, two more authors: 0.9940 /
// 0.9076 (167/184), the honest estimate (see the last test).
#include <algorithm>
#include <string>

#include "gtest/gtest.h"
#include "lib/keywords/eval_set.h"
#include "lib/keywords/keyword_classifier.h"

namespace smsflow::keywords {
namespace {

class EvalSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::vector<EvalExample>> set = LoadEvalSet(SMSFLOW_KEYWORDS_EVAL_TSV);
    ASSERT_TRUE(set.ok()) << set.status();
    set_ = *std::move(set);
  }
  std::vector<EvalExample> set_;
};

TEST_F(EvalSetTest, IsLargeAndHardEnough) {
  const auto count = [&](auto pred) { return std::count_if(set_.begin(), set_.end(), pred); };
  EXPECT_GE(set_.size(), 400u);
  EXPECT_GE(count([](const EvalExample& e) { return e.label == "opt_out"; }), 150);
  EXPECT_GE(count([](const EvalExample& e) { return e.kind == "hard_negative"; }), 150);
  EXPECT_GE(count([](const EvalExample& e) { return e.split == "test"; }), 200);
  EXPECT_GE(count([](const EvalExample& e) { return e.split == "dev2"; }), 120);
  EXPECT_GE(count([](const EvalExample& e) { return e.split == "dev3"; }), 200);
}

TEST_F(EvalSetTest, TestSplitMeetsPrecisionAndRecallTargets) {
  const absl::StatusOr<KeywordClassifier> classifier = KeywordClassifier::Create({});
  ASSERT_TRUE(classifier.ok());
  const EvalReport report = Evaluate(*classifier, set_, "test");
  EXPECT_GE(report.precision, 0.99) << FormatReport(report);
  EXPECT_GE(report.recall, 0.90) << FormatReport(report);
  // Keywords are exact rules, not estimates: none may be missed.
  for (const EvalMistake& m : report.mistakes) {
    EXPECT_NE(m.example.kind, "keyword") << m.example.text << ": " << m.got.evidence;
  }
}

// dev2 (the former test2, measured once at precision 0.9836 / recall 0.8571
// before its misses were generalised), dev3 (half of the independent
// authors' batch) dev4 (the other half, the former test3) dev5 (the former test4) and
// dev6 (the former test5) are tuning data now: held near perfect so a rule change
// that breaks them is seen.
TEST_F(EvalSetTest, TuningSplitsStayNearPerfect) {
  const absl::StatusOr<KeywordClassifier> classifier = KeywordClassifier::Create({});
  ASSERT_TRUE(classifier.ok());
  for (const char* split : {"dev", "dev2", "dev3", "dev4", "dev5", "dev6"}) {
    const EvalReport report = Evaluate(*classifier, set_, split);
    EXPECT_GE(report.examples, 140) << split;
    EXPECT_GE(report.precision, 0.99) << FormatReport(report);
    EXPECT_GE(report.recall, 0.97) << FormatReport(report);
  }
}

// test6 was never tuned on: written by two authors who never saw the rules,
// appended after the freeze at d444a79 and measured once at precision 0.9940
// (1 false positive in 242 negatives) and recall 0.9076 (167/184) - issue
// 4's targets on unseen data. The bounds are that minus a margin, so a
// regression fails; raise them only with a new batch, and move these rows to
// a dev split before tuning on them.
TEST_F(EvalSetTest, HeldOutTest6MeetsTheTargets) {
  const absl::StatusOr<KeywordClassifier> classifier = KeywordClassifier::Create({});
  ASSERT_TRUE(classifier.ok());
  const EvalReport report = Evaluate(*classifier, set_, "test6");
  EXPECT_GE(report.examples, 400);
  EXPECT_GE(report.precision, 0.985) << FormatReport(report);
  EXPECT_GE(report.recall, 0.89) << FormatReport(report);
}

}  // namespace
}  // namespace smsflow::keywords
