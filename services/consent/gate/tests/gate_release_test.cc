// Held messages: quiet-hours deferrals and scheduled sends are held in Redis,
// reported SCHEDULED, and released through the same decision path when the
// (manual) clock reaches them; canceled or opted-out ones are not sent.
#include "services/consent/gate/tests/gate_fixture.h"

namespace smsflow::consent::gate::testing {
namespace {

using smsflow::testing::WaitFor;

v1::ConsentState Marketable(const std::string& to) {
  v1::ConsentState s = State(to);
  Grant(s, v1::CONSENT_KIND_EXPRESS_WRITTEN, Noon() - absl::Hours(48), "ev-written");
  return s;
}

int64_t Held(DeferredStore& store) { return *store.Size(); }

TEST_F(GateFixture, MarketingOutsideTheWindowIsHeldThenReleasedByTheLoop) {
  const absl::Time seven = At("America/New_York", 2024, 6, 12, 7, 0);
  const absl::Time eight = At("America/New_York", 2024, 6, 12, 8, 0);
  clock_.Set(seven);
  Seed(Marketable(kNewYork));
  const auto r = Request(v1::CATEGORY_MARKETING, kNewYork, seven);
  Publish(r);
  ASSERT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_SCHEDULED);
  const v1::DeliveryEvent scheduled = Events(r.message_id())[0];
  EXPECT_EQ(scheduled.reason_code(), v1::REASON_CODE_QUIET_HOURS);
  EXPECT_EQ(scheduled.next_attempt_time().seconds(), absl::ToUnixSeconds(eight));
  EXPECT_EQ(Held(*deferred_), 1);

  releaser_->Start();
  clock_.Set(eight - absl::Minutes(1));  // not yet
  EXPECT_EQ(*releaser_->RunOnce(), 0);
  clock_.Set(eight);
  ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_QUEUED);
  ASSERT_TRUE(WaitFor([&] { return Approved(r.message_id()).size() == 1; }));
  const v1::ApprovedMessage a = Approved(r.message_id())[0].second;
  EXPECT_TRUE(a.quiet_hours_deferred());
  EXPECT_EQ(a.approve_time().seconds(), absl::ToUnixSeconds(eight));
  EXPECT_EQ(a.window_end_time().seconds(),
            absl::ToUnixSeconds(At("America/New_York", 2024, 6, 12, 21, 0)));
  releaser_->Stop();
  EXPECT_EQ(Held(*deferred_), 0);
}

TEST_F(GateFixture, FutureSendTimeIsHeldThenReleased) {
  v1::ConsentState s = State(kNewYork);
  Grant(s, v1::CONSENT_KIND_EXPRESS, Noon() - absl::Hours(1));
  Seed(s);
  auto r = Request(v1::CATEGORY_TRANSACTIONAL, kNewYork);
  SetTime(Noon() + absl::Hours(3), r.mutable_send_time());
  Publish(r);
  ASSERT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_SCHEDULED);
  EXPECT_EQ(Events(r.message_id())[0].reason_code(), v1::REASON_CODE_UNSPECIFIED);
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(*releaser_->RunOnce(), 0);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(*releaser_->RunOnce(), 1);
  ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_QUEUED);
  ASSERT_TRUE(WaitFor([&] { return Approved(r.message_id()).size() == 1; }));
  EXPECT_FALSE(Approved(r.message_id())[0].second.quiet_hours_deferred());
  EXPECT_EQ(Held(*deferred_), 0);
}

TEST_F(GateFixture, CanceledWhileHeldEndsCanceled) {
  Seed(Marketable(kNewYork));
  auto r = Request(v1::CATEGORY_MARKETING, kNewYork);
  r.set_batch_id("batch-1");
  SetTime(Noon() + absl::Hours(1), r.mutable_send_time());
  Publish(r);
  ASSERT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_SCHEDULED);
  ASSERT_TRUE(cancellations_->CancelBatch("batch-1").ok());
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(*releaser_->RunOnce(), 1);
  ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_CANCELED);
  EXPECT_EQ(Events(r.message_id())[1].reason_code(), v1::REASON_CODE_CANCELED_BY_REQUEST);
  EXPECT_TRUE(Approved(r.message_id()).empty());
  EXPECT_EQ(Held(*deferred_), 0);
  // The journal forgets it too: its hold, then a tombstone.
  ASSERT_TRUE(WaitFor([&] { return Journal(r.message_id()).size() == 2; }));
  EXPECT_TRUE(Journal(r.message_id())[1].value.empty());
}

TEST_F(GateFixture, AnOptOutWhileHeldWins) {
  const absl::Time ten_pm = At("America/New_York", 2024, 6, 12, 22, 0);
  clock_.Set(ten_pm);
  v1::ConsentState s = Marketable(kNewYork);
  Seed(s, 1);
  const auto r = Request(v1::CATEGORY_MARKETING, kNewYork, ten_pm);
  Publish(r);
  ASSERT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_SCHEDULED);
  OptOut(s, ten_pm + absl::Hours(1));
  Seed(s, 2);
  clock_.Set(At("America/New_York", 2024, 6, 13, 8, 0));
  EXPECT_EQ(*releaser_->RunOnce(), 1);
  ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(Events(r.message_id())[1].reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  EXPECT_TRUE(Approved(r.message_id()).empty());
}

TEST_F(GateFixture, HeldMessagesAreClaimedByOneReplicaAndRetakenAfterItsLease) {
  v1::OutboundRequest r = Request(v1::CATEGORY_MARKETING, kNewYork);
  ASSERT_TRUE(deferred_->HoldAll({{r, Noon(), true}}).ok());
  ASSERT_TRUE(deferred_->HoldAll({{r, Noon(), true}}).ok());  // idempotent by message id
  EXPECT_EQ(Held(*deferred_), 1);
  auto first = deferred_->ClaimDue(Noon(), absl::Seconds(60), 10, nullptr);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_TRUE((*first)[0].quiet_hours);
  EXPECT_EQ((*first)[0].request.message_id(), r.message_id());
  // Another replica finds nothing while the lease holds...
  EXPECT_TRUE(
      deferred_->ClaimDue(Noon() + absl::Seconds(59), absl::Seconds(60), 10, nullptr)->empty());
  // ...and takes it over once the first one has gone silent past its lease.
  auto retaken = deferred_->ClaimDue(Noon() + absl::Seconds(61), absl::Seconds(60), 10, nullptr);
  ASSERT_EQ(retaken->size(), 1u);
  ASSERT_TRUE(deferred_->Ack({r.message_id()}).ok());
  EXPECT_EQ(Held(*deferred_), 0);
  EXPECT_TRUE(
      deferred_->ClaimDue(Noon() + absl::Hours(1), absl::Seconds(60), 10, nullptr)->empty());
}

}  // namespace
}  // namespace smsflow::consent::gate::testing
