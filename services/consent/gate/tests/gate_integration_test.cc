// The gate on devkafka + redis-server: approve into lanes, reject with
// reasons, one compliance reply per consent event, duplicates decided once,
// frequency caps, and a Redis outage that approves nothing.
#include "services/consent/gate/tests/gate_fixture.h"

namespace smsflow::consent::gate::testing {
namespace {

using smsflow::testing::WaitFor;

v1::ConsentState WithGrant(const std::string& to, v1::ConsentKind kind) {
  v1::ConsentState s = State(to);
  Grant(s, kind, Noon() - absl::Hours(1), "ev-" + v1::ConsentKind_Name(kind));
  return s;
}

TEST_F(GateFixture, ApprovesIntoItsLaneWithAQueuedEvent) {
  Seed(WithGrant(kMiami, v1::CONSENT_KIND_EXPRESS_WRITTEN));
  const auto marketing = Request(v1::CATEGORY_MARKETING, kMiami);
  const auto otp = Request(v1::CATEGORY_OTP, kNewYork);  // no ledger entry needed
  const auto compliance = Request(v1::CATEGORY_COMPLIANCE, kTulsa);
  for (const auto& r : {marketing, otp, compliance}) Publish(r);

  EXPECT_EQ(WaitStatus(marketing.message_id()), v1::MESSAGE_STATUS_QUEUED);
  EXPECT_EQ(WaitStatus(otp.message_id()), v1::MESSAGE_STATUS_QUEUED);
  EXPECT_EQ(WaitStatus(compliance.message_id()), v1::MESSAGE_STATUS_QUEUED);
  ASSERT_TRUE(WaitFor([&] { return Approved(compliance.message_id()).size() == 1; }));

  auto m = Approved(marketing.message_id());
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].first, kafka::topics::kApprovedMarketing);
  EXPECT_EQ(m[0].second.lane(), v1::LANE_MARKETING);
  EXPECT_EQ(m[0].second.consent_kind(), v1::CONSENT_KIND_EXPRESS_WRITTEN);
  EXPECT_EQ(m[0].second.consent_event_id(), "ev-CONSENT_KIND_EXPRESS_WRITTEN");
  EXPECT_EQ(m[0].second.time_zone(), "America/New_York");
  EXPECT_EQ(m[0].second.window_end_time().seconds(),
            absl::ToUnixSeconds(At("America/New_York", 2024, 6, 12, 20, 0)));  // Florida: 20:00
  EXPECT_FALSE(m[0].second.quiet_hours_deferred());
  EXPECT_EQ(Approved(otp.message_id())[0].first, kafka::topics::kApprovedOtp);
  EXPECT_EQ(Approved(compliance.message_id())[0].first, kafka::topics::kApprovedTransactional);
  const v1::DeliveryEvent e = Events(marketing.message_id())[0];
  EXPECT_EQ(e.reporter(), "consent-gate");
  EXPECT_EQ(e.tenant_id(), "acme");
  EXPECT_EQ(e.category(), v1::CATEGORY_MARKETING);
}

TEST_F(GateFixture, RejectsOptedOutAndMissingConsent) {
  v1::ConsentState out = WithGrant(kNewYork, v1::CONSENT_KIND_EXPRESS_WRITTEN);
  OptOut(out, Noon() - absl::Minutes(5));
  Seed(out);
  Seed(WithGrant(kMiami, v1::CONSENT_KIND_EXPRESS));  // not enough for marketing
  const auto to_opted_out = Request(v1::CATEGORY_TRANSACTIONAL, kNewYork);
  const auto no_consent = Request(v1::CATEGORY_MARKETING, kMiami);
  const auto bad_number = Request(v1::CATEGORY_MARKETING, "+1212");
  for (const auto& r : {to_opted_out, no_consent, bad_number}) Publish(r);

  ASSERT_EQ(WaitStatus(to_opted_out.message_id()), v1::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(Events(to_opted_out.message_id())[0].reason_code(),
            v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  ASSERT_EQ(WaitStatus(no_consent.message_id()), v1::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(Events(no_consent.message_id())[0].reason_code(), v1::REASON_CODE_NO_CONSENT);
  ASSERT_EQ(WaitStatus(bad_number.message_id()), v1::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(Events(bad_number.message_id())[0].reason_code(), v1::REASON_CODE_INVALID_NUMBER);
  EXPECT_TRUE(Approved(to_opted_out.message_id()).empty());
  EXPECT_TRUE(Approved(no_consent.message_id()).empty());
}

TEST_F(GateFixture, OneComplianceReplyPerConsentEventEvenToAnOptedOutRecipient) {
  v1::ConsentState out = State(kNewYork);
  OptOut(out, Noon() - absl::Minutes(1));
  Seed(out);
  const auto first = Request(v1::CATEGORY_COMPLIANCE, kNewYork);
  auto second = Request(v1::CATEGORY_COMPLIANCE, kNewYork);
  second.set_consent_event_id(first.consent_event_id());  // same STOP, another reply
  Publish(first);
  Publish(second);
  EXPECT_EQ(WaitStatus(first.message_id()), v1::MESSAGE_STATUS_QUEUED);
  ASSERT_EQ(WaitStatus(second.message_id()), v1::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(Events(second.message_id())[0].reason_code(), v1::REASON_CODE_DUPLICATE_REQUEST);
  EXPECT_EQ(Approved(first.message_id()).size(), 1u);
  EXPECT_TRUE(Approved(second.message_id()).empty());
}

TEST_F(GateFixture, ARepeatedMessageIdIsDecidedOnce) {
  Seed(WithGrant(kNewYork, v1::CONSENT_KIND_EXPRESS));
  const auto r = Request(v1::CATEGORY_TRANSACTIONAL, kNewYork);
  Publish(r);
  Publish(r);
  ASSERT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_QUEUED);
  Publish(r);  // a late redelivery, after the decision
  // A marker after the repeats, on the same partition: once it is decided,
  // so are they.
  const auto marker = Request(v1::CATEGORY_TRANSACTIONAL, kNewYork);
  Publish(marker);
  ASSERT_EQ(WaitStatus(marker.message_id()), v1::MESSAGE_STATUS_QUEUED);
  ASSERT_TRUE(WaitFor([&] { return Approved(marker.message_id()).size() == 1; }));
  EXPECT_EQ(Events(r.message_id()).size(), 1u);
  EXPECT_EQ(Approved(r.message_id()).size(), 1u);
}

TEST_F(GateFixture, FourthMarketingMessageToFloridaIn24HoursIsRejected) {
  Seed(WithGrant(kMiami, v1::CONSENT_KIND_EXPRESS_WRITTEN));
  std::vector<v1::OutboundRequest> sent;
  for (int i = 0; i < 4; ++i) {
    sent.push_back(Request(v1::CATEGORY_MARKETING, kMiami));
    Publish(sent.back());
    // One at a time, hours apart, as a campaign would.
    ASSERT_NE(WaitStatus(sent.back().message_id()), v1::MESSAGE_STATUS_UNSPECIFIED);
    clock_.Advance(absl::Hours(2));
  }
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Events(sent[i].message_id())[0].status(), v1::MESSAGE_STATUS_QUEUED);
  const v1::DeliveryEvent fourth = Events(sent[3].message_id())[0];
  EXPECT_EQ(fourth.status(), v1::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(fourth.reason_code(), v1::REASON_CODE_FREQUENCY_CAP);
  // A New York recipient has no such cap.
  Seed(WithGrant(kNewYork, v1::CONSENT_KIND_EXPRESS_WRITTEN));
  for (int i = 0; i < 4; ++i) {
    const auto r = Request(v1::CATEGORY_MARKETING, kNewYork);
    Publish(r);
    EXPECT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_QUEUED);
  }
  // 24 h after the first, Florida has room again.
  clock_.Set(Noon() + absl::Hours(24) + absl::Minutes(1));
  const auto next_day = Request(v1::CATEGORY_MARKETING, kMiami, clock_.Now());
  Publish(next_day);
  EXPECT_EQ(WaitStatus(next_day.message_id()), v1::MESSAGE_STATUS_QUEUED);
}

TEST_F(GateFixture, RedisDownApprovesNothingThenRecovers) {
  Seed(WithGrant(kNewYork, v1::CONSENT_KIND_EXPRESS_WRITTEN));
  const auto warmup = Request(v1::CATEGORY_MARKETING, kNewYork);
  Publish(warmup);
  ASSERT_EQ(WaitStatus(warmup.message_id()), v1::MESSAGE_STATUS_QUEUED);

  redis_.Pause();  // a hung server: connections time out
  const uint64_t retried_before = consumer_->Stats().retried;
  const auto during = Request(v1::CATEGORY_MARKETING, kNewYork);
  Publish(during);
  ASSERT_TRUE(WaitFor([&] { return consumer_->Stats().retried >= retried_before + 2; }));
  EXPECT_TRUE(Events(during.message_id()).empty());
  EXPECT_TRUE(Approved(during.message_id()).empty());

  redis_.Resume();
  ASSERT_EQ(WaitStatus(during.message_id()), v1::MESSAGE_STATUS_QUEUED);
  ASSERT_TRUE(WaitFor([&] { return Approved(during.message_id()).size() == 1; }));
  EXPECT_EQ(Events(during.message_id()).size(), 1u);
}

}  // namespace
}  // namespace smsflow::consent::gate::testing
