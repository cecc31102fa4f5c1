#include "services/sender/dispatch/token_bucket.h"

#include <gtest/gtest.h>

namespace smsflow::sender {
namespace {

TEST(TokenBucket, NewBucketIsFullAndGrantsAPrefix) {
  std::vector<BucketLimit> limits{{10, 10}};
  std::vector<BucketState> states(1);
  DailyCapState daily;
  GrantResult r = Grant(limits, &states, &daily, std::vector<int>(15, 1), 1000);
  EXPECT_EQ(r.granted, 10);
  EXPECT_EQ(r.segments, 10);
  EXPECT_EQ(r.wait_ms, 100);  // one token at 10/s
  EXPECT_DOUBLE_EQ(states[0].tokens, 0);
}

TEST(TokenBucket, RefillsAtRateUpToBurst) {
  std::vector<BucketLimit> limits{{10, 10}};
  std::vector<BucketState> states(1);
  DailyCapState daily;
  Grant(limits, &states, &daily, std::vector<int>(10, 1), 1000);
  GrantResult r = Grant(limits, &states, &daily, std::vector<int>(10, 1), 1500);
  EXPECT_EQ(r.granted, 5);
  r = Grant(limits, &states, &daily, std::vector<int>(20, 1), 100000);
  EXPECT_EQ(r.granted, 10);  // capped at burst however long idle
}

TEST(TokenBucket, CountsSegmentsAndStopsAtTheFirstThatDoesNotFit) {
  std::vector<BucketLimit> limits{{3, 3}};
  std::vector<BucketState> states(1);
  DailyCapState daily;
  GrantResult r = Grant(limits, &states, &daily, {2, 2, 1}, 0);
  EXPECT_EQ(r.granted, 1);    // order kept: the 1-segment message does not jump ahead
  EXPECT_EQ(r.wait_ms, 334);  // 1 token missing at 3/s, rounded up
}

TEST(TokenBucket, MessageLongerThanBurstTakesDebt) {
  std::vector<BucketLimit> limits{{1, 1}};
  std::vector<BucketState> states(1);
  DailyCapState daily;
  GrantResult r = Grant(limits, &states, &daily, {4, 1}, 0);
  EXPECT_EQ(r.granted, 1);
  EXPECT_DOUBLE_EQ(states[0].tokens, -3);
  EXPECT_EQ(r.wait_ms, 4000);  // repay 3, then 1 for the next
}

TEST(TokenBucket, AllBucketsMustHaveRoomAndTheSlowestDecidesTheWait) {
  std::vector<BucketLimit> limits{{100, 100}, {2, 2}};
  std::vector<BucketState> states(2);
  DailyCapState daily;
  GrantResult r = Grant(limits, &states, &daily, std::vector<int>(5, 1), 0);
  EXPECT_EQ(r.granted, 2);
  EXPECT_EQ(r.wait_ms, 500);
  EXPECT_DOUBLE_EQ(states[0].tokens, 98);  // every bucket paid
}

TEST(TokenBucket, DailyCapWaitsUntilTheNextDay) {
  std::vector<BucketLimit> limits{{100, 100}};
  std::vector<BucketState> states(1);
  DailyCapState daily{.limit = 3};
  const int64_t now = 5 * kDayMs + 1000;
  GrantResult r = Grant(limits, &states, &daily, {1, 1, 1, 1}, now);
  EXPECT_EQ(r.granted, 3);
  EXPECT_TRUE(r.daily_cap_reached);
  EXPECT_EQ(r.wait_ms, kDayMs - 1000);
  r = Grant(limits, &states, &daily, {1}, 6 * kDayMs);  // a new day resets the count
  EXPECT_EQ(r.granted, 1);
}

TEST(TokenBucket, ClockGoingBackwardsAddsNothing) {
  std::vector<BucketLimit> limits{{10, 10}};
  std::vector<BucketState> states(1);
  DailyCapState daily;
  Grant(limits, &states, &daily, std::vector<int>(10, 1), 5000);
  GrantResult r = Grant(limits, &states, &daily, {1}, 4000);
  EXPECT_EQ(r.granted, 0);
}

}  // namespace
}  // namespace smsflow::sender
