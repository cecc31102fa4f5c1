#include "services/sender/dispatch/lane_queue.h"

#include <gtest/gtest.h>

namespace smsflow::sender {
namespace {

ItemPtr Item(const std::shared_ptr<BatchTicket>& t, size_t index, int lane, absl::Time nb) {
  auto item = std::make_unique<DispatchItem>();
  item->approved.mutable_request()->set_message_id("m" + std::to_string(lane) + "-" +
                                                   std::to_string(index));
  item->lane = lane;
  item->ticket = t;
  item->index = index;
  item->not_before = nb;
  return item;
}

TEST(LaneQueues, HighestReadyLaneFirst) {
  LaneQueues q(nullptr);
  auto t = std::make_shared<BatchTicket>(4);
  const absl::Time now = absl::Now();
  std::vector<ItemPtr> items;
  items.push_back(Item(t, 0, 3, now));
  items.push_back(Item(t, 1, 3, now));
  items.push_back(Item(t, 2, 0, now));
  q.Push(std::move(items));
  auto got = q.TakeReady(10, absl::ZeroDuration());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->lane, 0);
  got = q.TakeReady(10, absl::ZeroDuration());
  EXPECT_EQ(got.size(), 2u);
}

TEST(LaneQueues, WaitingHigherLaneDoesNotBlockReadyLowerLane) {
  LaneQueues q(nullptr);
  auto t = std::make_shared<BatchTicket>(2);
  const absl::Time now = absl::Now();
  std::vector<ItemPtr> items;
  items.push_back(Item(t, 0, 0, now + absl::Hours(1)));
  items.push_back(Item(t, 1, 3, now));
  q.Push(std::move(items));
  auto got = q.TakeReady(10, absl::ZeroDuration());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]->lane, 3);
}

TEST(LaneQueues, WithdrawnTicketFinishesRetry) {
  LaneQueues q(nullptr);
  auto t = std::make_shared<BatchTicket>(2);
  std::vector<ItemPtr> items;
  items.push_back(Item(t, 0, 1, absl::Now() + absl::Hours(1)));
  q.Push(std::move(items));
  EXPECT_EQ(q.Withdraw(t.get()).size(), 1u);
  t->MarkWithdrawn();
  std::vector<ItemPtr> again;
  again.push_back(Item(t, 1, 1, absl::Now()));
  q.Push(std::move(again));  // finishes kRetry instead of queueing
  EXPECT_EQ(q.Depth(1), 0u);
  t->Finish(0, {kafka::Outcome::kDone, ""});
  t->Wait();
  auto d = t->Take();
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kDone);
  EXPECT_EQ(d[1].outcome, kafka::Outcome::kRetry);
}

TEST(BatchTicket, AbortLeavesUnfinishedAsRetry) {
  BatchTicket t(3);
  t.Finish(1, {kafka::Outcome::kDone, ""});
  t.Abort();
  t.Wait();
  auto d = t.Take();
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kRetry);
  EXPECT_EQ(d[1].outcome, kafka::Outcome::kDone);
  EXPECT_EQ(d[2].outcome, kafka::Outcome::kRetry);
}

}  // namespace
}  // namespace smsflow::sender
