#include "services/sender/api/status_rules.h"

#include <gtest/gtest.h>

namespace smsflow::sender {
namespace {

TEST(StatusRulesTest, RanksFollowTheLifecycle) {
  const v1::MessageStatus order[] = {v1::MESSAGE_STATUS_ACCEPTED, v1::MESSAGE_STATUS_SCHEDULED,
                                     v1::MESSAGE_STATUS_QUEUED,   v1::MESSAGE_STATUS_SENDING,
                                     v1::MESSAGE_STATUS_SENT,     v1::MESSAGE_STATUS_DELIVERED};
  for (size_t i = 1; i < std::size(order); ++i) {
    EXPECT_LT(StatusRank(order[i - 1]), StatusRank(order[i])) << i;
  }
  EXPECT_EQ(StatusRank(v1::MESSAGE_STATUS_UNSPECIFIED), 0);
  for (auto s :
       {v1::MESSAGE_STATUS_DELIVERED, v1::MESSAGE_STATUS_UNDELIVERED, v1::MESSAGE_STATUS_FAILED,
        v1::MESSAGE_STATUS_CANCELED, v1::MESSAGE_STATUS_EXPIRED, v1::MESSAGE_STATUS_REJECTED}) {
    EXPECT_TRUE(IsFinal(s));
    EXPECT_GT(StatusRank(s), StatusRank(v1::MESSAGE_STATUS_SENT));
  }
  EXPECT_FALSE(IsFinal(v1::MESSAGE_STATUS_SENT));
  EXPECT_EQ(StatusLabel(v1::MESSAGE_STATUS_UNDELIVERED), "undelivered");
  EXPECT_EQ(ReasonLabel(v1::REASON_CODE_TEMPLATE_VARIABLE_MISSING), "template_variable_missing");
}

// Folds events in the given order with ShouldReplace; returns the status kept.
v1::MessageStatus Fold(std::vector<std::pair<v1::MessageStatus, int64_t>> events) {
  TrackedStatus cur;
  v1::MessageStatus status = v1::MESSAGE_STATUS_UNSPECIFIED;
  for (auto [s, ms] : events) {
    if (ShouldReplace(cur, StatusRank(s), IsFinal(s), ms)) {
      cur = {StatusRank(s), IsFinal(s), ms};
      status = s;
    }
  }
  return status;
}

TEST(StatusRulesTest, OutOfOrderEventsEndInTheLatestLifecycleState) {
  using S = v1::MessageStatus;
  EXPECT_EQ(Fold({{S::MESSAGE_STATUS_ACCEPTED, 1},
                  {S::MESSAGE_STATUS_QUEUED, 2},
                  {S::MESSAGE_STATUS_SENT, 3}}),
            S::MESSAGE_STATUS_SENT);
  EXPECT_EQ(Fold({{S::MESSAGE_STATUS_SENT, 3},
                  {S::MESSAGE_STATUS_QUEUED, 2},
                  {S::MESSAGE_STATUS_ACCEPTED, 1}}),
            S::MESSAGE_STATUS_SENT);
  // A final status is never replaced, not even by a later final one.
  EXPECT_EQ(Fold({{S::MESSAGE_STATUS_DELIVERED, 5},
                  {S::MESSAGE_STATUS_SENT, 6},
                  {S::MESSAGE_STATUS_SENDING, 7}}),
            S::MESSAGE_STATUS_DELIVERED);
  EXPECT_EQ(Fold({{S::MESSAGE_STATUS_REJECTED, 2}, {S::MESSAGE_STATUS_ACCEPTED, 1}}),
            S::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(Fold({{S::MESSAGE_STATUS_UNDELIVERED, 5}, {S::MESSAGE_STATUS_DELIVERED, 6}}),
            S::MESSAGE_STATUS_UNDELIVERED);
  EXPECT_EQ(Fold({{S::MESSAGE_STATUS_UNSPECIFIED, 9}}), S::MESSAGE_STATUS_UNSPECIFIED);
}

TEST(StatusRulesTest, EqualRankTakesOnlyNewerNonFinal) {
  TrackedStatus sending{StatusRank(v1::MESSAGE_STATUS_SENDING), false, 100};
  EXPECT_TRUE(ShouldReplace(sending, sending.rank, false, 150));  // retry attempt 2
  EXPECT_FALSE(ShouldReplace(sending, sending.rank, false, 50));  // older attempt
  EXPECT_TRUE(ShouldReplace({}, 1, false, 0));
  EXPECT_FALSE(ShouldReplace({}, 0, false, 0));
}

TEST(StatusRulesTest, ProgressCountsAddUpAndDoneNeedsAllFinal) {
  std::map<int, int64_t> counts = {{v1::MESSAGE_STATUS_DELIVERED, 3},
                                   {v1::MESSAGE_STATUS_QUEUED, 1}};
  auto p = MakeProgress(5, counts, false);
  EXPECT_EQ(p.total(), 5);
  int64_t sum = 0;
  for (const auto& sc : p.status_counts()) sum += sc.count();
  EXPECT_EQ(sum, 5);  // the unseen one counts as ACCEPTED
  EXPECT_EQ(p.status_counts(0).status(), v1::MESSAGE_STATUS_ACCEPTED);
  EXPECT_FALSE(p.done());
  counts = {{v1::MESSAGE_STATUS_DELIVERED, 4},
            {v1::MESSAGE_STATUS_REJECTED, 1},
            {v1::MESSAGE_STATUS_SENT, 0}};
  p = MakeProgress(5, counts, false);
  EXPECT_TRUE(p.done());
  EXPECT_EQ(p.status_counts_size(), 2);  // zero counts omitted
  EXPECT_FALSE(MakeProgress(5, counts, /*open=*/true).done());
  EXPECT_TRUE(MakeProgress(0, {}, false).done());
}

TEST(StatusRulesTest, NotYetSubmittedCountsWaitingAndUnseen) {
  std::map<int, int64_t> counts = {{v1::MESSAGE_STATUS_QUEUED, 2},
                                   {v1::MESSAGE_STATUS_SCHEDULED, 1},
                                   {v1::MESSAGE_STATUS_SENT, 4},
                                   {v1::MESSAGE_STATUS_SENDING, 1}};
  EXPECT_EQ(NotYetSubmitted(10, counts), 2 + 1 + 2);
}

TEST(StatusRulesTest, LanesFollowCategories) {
  EXPECT_EQ(LaneOf(v1::CATEGORY_OTP), v1::LANE_OTP);
  EXPECT_EQ(LaneOf(v1::CATEGORY_COMPLIANCE), v1::LANE_TRANSACTIONAL);
  EXPECT_EQ(LaneOf(v1::CATEGORY_MARKETING), v1::LANE_MARKETING);
}

}  // namespace
}  // namespace smsflow::sender
