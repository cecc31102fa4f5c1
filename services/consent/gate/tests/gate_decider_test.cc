// Unit tests of the pure gate decision: categories x consent kinds x opt-out
// x quiet hours x validity x caps (COMPLIANCE.md "Consent" and "Time rules").
#include "services/consent/gate/gate_decider.h"

#include <gtest/gtest.h>

#include "services/consent/gate/tests/gate_test_util.h"

namespace smsflow::consent::gate {
namespace {

using namespace testing;  // NOLINT: the builders

class GateDeciderTest : public ::testing::Test {
 protected:
  std::unique_ptr<GateDecider> decider_ = MakeDecider();
};

struct MatrixCase {
  v1::Category category;
  v1::ConsentKind kind;  // UNSPECIFIED: no grant at all
  bool approved;
};

TEST_F(GateDeciderTest, CategoriesTimesConsentKinds) {
  const MatrixCase cases[] = {
      // marketing needs express written
      {v1::CATEGORY_MARKETING, v1::CONSENT_KIND_EXPRESS_WRITTEN, true},
      {v1::CATEGORY_MARKETING, v1::CONSENT_KIND_EXPRESS, false},
      {v1::CATEGORY_MARKETING, v1::CONSENT_KIND_IMPLIED, false},
      {v1::CATEGORY_MARKETING, v1::CONSENT_KIND_OTP_REQUEST, false},
      {v1::CATEGORY_MARKETING, v1::CONSENT_KIND_UNSPECIFIED, false},
      // transactional: express or implied
      {v1::CATEGORY_TRANSACTIONAL, v1::CONSENT_KIND_EXPRESS_WRITTEN, true},
      {v1::CATEGORY_TRANSACTIONAL, v1::CONSENT_KIND_EXPRESS, true},
      {v1::CATEGORY_TRANSACTIONAL, v1::CONSENT_KIND_IMPLIED, true},
      {v1::CATEGORY_TRANSACTIONAL, v1::CONSENT_KIND_OTP_REQUEST, false},
      {v1::CATEGORY_TRANSACTIONAL, v1::CONSENT_KIND_UNSPECIFIED, false},
      // conversational: implied within its window or better
      {v1::CATEGORY_CONVERSATIONAL, v1::CONSENT_KIND_EXPRESS_WRITTEN, true},
      {v1::CATEGORY_CONVERSATIONAL, v1::CONSENT_KIND_EXPRESS, true},
      {v1::CATEGORY_CONVERSATIONAL, v1::CONSENT_KIND_IMPLIED, true},
      {v1::CATEGORY_CONVERSATIONAL, v1::CONSENT_KIND_UNSPECIFIED, false},
      // otp: the request itself is the user's ask (default config)
      {v1::CATEGORY_OTP, v1::CONSENT_KIND_UNSPECIFIED, true},
      {v1::CATEGORY_OTP, v1::CONSENT_KIND_OTP_REQUEST, true},
      // compliance: always
      {v1::CATEGORY_COMPLIANCE, v1::CONSENT_KIND_UNSPECIFIED, true},
  };
  for (const MatrixCase& c : cases) {
    v1::ConsentState s = State();
    if (c.kind != v1::CONSENT_KIND_UNSPECIFIED) Grant(s, c.kind, Noon() - absl::Minutes(1));
    const Decision d = decider_->Decide(Request(c.category), &s, Noon());
    SCOPED_TRACE(v1::Category_Name(c.category) + " with " + v1::ConsentKind_Name(c.kind));
    EXPECT_EQ(d.verdict == Verdict::kApprove, c.approved) << d.description;
    if (!c.approved) EXPECT_EQ(d.reason, v1::REASON_CODE_NO_CONSENT);
  }
}

TEST_F(GateDeciderTest, ApprovalNamesTheStrongestGrantAndLane) {
  v1::ConsentState s = State();
  Grant(s, v1::CONSENT_KIND_IMPLIED, Noon() - absl::Hours(1), "ev-implied");
  Grant(s, v1::CONSENT_KIND_EXPRESS, Noon() - absl::Hours(2), "ev-express");
  const Decision d = decider_->Decide(Request(v1::CATEGORY_TRANSACTIONAL), &s, Noon());
  ASSERT_EQ(d.verdict, Verdict::kApprove);
  EXPECT_EQ(d.consent_kind, v1::CONSENT_KIND_EXPRESS);
  EXPECT_EQ(d.consent_event_id, "ev-express");
  EXPECT_EQ(d.lane, v1::LANE_TRANSACTIONAL);
  EXPECT_EQ(d.time_zone, "");  // exempt from quiet hours
  EXPECT_EQ(d.window_end, absl::InfiniteFuture());
  EXPECT_EQ(LaneOf(policy::Category::kCompliance), v1::LANE_TRANSACTIONAL);
  EXPECT_EQ(LaneOf(policy::Category::kOtp), v1::LANE_OTP);
  EXPECT_EQ(LaneOf(policy::Category::kConversational), v1::LANE_CONVERSATIONAL);
  EXPECT_EQ(LaneOf(policy::Category::kMarketing), v1::LANE_MARKETING);
}

TEST_F(GateDeciderTest, OptedOutBlocksEverythingButCompliance) {
  v1::ConsentState s = State();
  Grant(s, v1::CONSENT_KIND_EXPRESS_WRITTEN, Noon() - absl::Hours(5));
  OptOut(s, Noon() - absl::Hours(1));
  for (v1::Category c : {v1::CATEGORY_OTP, v1::CATEGORY_TRANSACTIONAL, v1::CATEGORY_CONVERSATIONAL,
                         v1::CATEGORY_MARKETING}) {
    const Decision d = decider_->Decide(Request(c), &s, Noon());
    EXPECT_EQ(d.verdict, Verdict::kReject) << v1::Category_Name(c);
    EXPECT_EQ(d.reason, v1::REASON_CODE_RECIPIENT_OPTED_OUT) << v1::Category_Name(c);
  }
  const Decision d = decider_->Decide(Request(v1::CATEGORY_COMPLIANCE), &s, Noon());
  EXPECT_EQ(d.verdict, Verdict::kApprove);
  EXPECT_TRUE(d.needs_compliance_claim);  // once per consent event: enforced by the pipeline
  EXPECT_EQ(d.consent_kind, v1::CONSENT_KIND_UNSPECIFIED);
}

TEST_F(GateDeciderTest, ComplianceOnlyFromTheConsentServiceAndTiedToAnEvent) {
  v1::OutboundRequest r = Request(v1::CATEGORY_COMPLIANCE);
  r.set_origin(v1::OUTBOUND_ORIGIN_SENDER_API);
  EXPECT_EQ(decider_->Decide(r, nullptr, Noon()).reason, v1::REASON_CODE_INVALID_FIELD);
  r = Request(v1::CATEGORY_COMPLIANCE);
  r.clear_consent_event_id();
  const Decision d = decider_->Decide(r, nullptr, Noon());
  EXPECT_EQ(d.reason, v1::REASON_CODE_INVALID_FIELD);
  EXPECT_NE(d.description.find("consent_event_id"), std::string::npos);
}

TEST_F(GateDeciderTest, OtpWithoutLedgerEntryIsApprovedUnlessConfiguredOtherwise) {
  Decision d = decider_->Decide(Request(v1::CATEGORY_OTP), nullptr, Noon());
  ASSERT_EQ(d.verdict, Verdict::kApprove);
  EXPECT_EQ(d.consent_kind, v1::CONSENT_KIND_OTP_REQUEST);
  EXPECT_EQ(d.consent_event_id, "");
  EXPECT_EQ(d.lane, v1::LANE_OTP);

  auto strict = MakeDecider(GateConfig{.otp_requires_ledger_request = true});
  d = strict->Decide(Request(v1::CATEGORY_OTP), nullptr, Noon());
  EXPECT_EQ(d.reason, v1::REASON_CODE_NO_CONSENT);
  v1::ConsentState s = State();
  Grant(s, v1::CONSENT_KIND_OTP_REQUEST, Noon() - absl::Minutes(2), "ev-otp");
  d = strict->Decide(Request(v1::CATEGORY_OTP), &s, Noon());
  ASSERT_EQ(d.verdict, Verdict::kApprove);
  EXPECT_EQ(d.consent_event_id, "ev-otp");
  // An otp request older than its window (10 min) is not a request for this code.
  d = strict->Decide(Request(v1::CATEGORY_OTP), &s, Noon() + absl::Minutes(30));
  EXPECT_EQ(d.verdict, Verdict::kReject);
}

TEST_F(GateDeciderTest, ExpiredGrantsDoNotCount) {
  v1::ConsentState s = State();
  Grant(s, v1::CONSENT_KIND_IMPLIED, Noon() - absl::Hours(25));  // past the 24 h window
  EXPECT_EQ(decider_->Decide(Request(v1::CATEGORY_CONVERSATIONAL), &s, Noon()).reason,
            v1::REASON_CODE_NO_CONSENT);
  v1::ConsentState t = State();
  Grant(t, v1::CONSENT_KIND_EXPRESS, Noon() - absl::Hours(1));
  SetTime(Noon() - absl::Minutes(1), t.mutable_grants(0)->mutable_expire_time());
  EXPECT_EQ(decider_->Decide(Request(v1::CATEGORY_TRANSACTIONAL), &t, Noon()).reason,
            v1::REASON_CODE_NO_CONSENT);
}

v1::ConsentState Marketable(const std::string& to) {
  v1::ConsentState s = State(to);
  Grant(s, v1::CONSENT_KIND_EXPRESS_WRITTEN, Noon() - absl::Hours(24 * 30));
  return s;
}

TEST_F(GateDeciderTest, QuietHourEdgesInNewYork) {
  const v1::ConsentState s = Marketable(kNewYork);
  auto at = [&](int h, int m) {
    const absl::Time now = At("America/New_York", 2024, 6, 12, h, m);
    return decider_->Decide(Request(v1::CATEGORY_MARKETING, kNewYork, now), &s, now);
  };
  Decision d = at(7, 59);
  ASSERT_EQ(d.verdict, Verdict::kDefer);
  EXPECT_TRUE(d.quiet_hours);
  EXPECT_EQ(d.reason, v1::REASON_CODE_QUIET_HOURS);
  EXPECT_EQ(d.release_time, At("America/New_York", 2024, 6, 12, 8, 0));
  d = at(8, 0);
  ASSERT_EQ(d.verdict, Verdict::kApprove);
  EXPECT_EQ(d.time_zone, "America/New_York");
  EXPECT_EQ(d.window_end, At("America/New_York", 2024, 6, 12, 21, 0));
  EXPECT_EQ(at(20, 59).verdict, Verdict::kApprove);
  d = at(21, 0);
  ASSERT_EQ(d.verdict, Verdict::kDefer);
  EXPECT_EQ(d.release_time, At("America/New_York", 2024, 6, 13, 8, 0));
}

TEST_F(GateDeciderTest, FloridaAndOklahomaCloseAtEight) {
  absl::Time now = At("America/New_York", 2024, 6, 12, 20, 0);
  Decision d = decider_->Decide(Request(v1::CATEGORY_MARKETING, kMiami, now), nullptr, now);
  EXPECT_EQ(d.reason, v1::REASON_CODE_NO_CONSENT);  // consent first
  const v1::ConsentState miami = Marketable(kMiami);
  d = decider_->Decide(Request(v1::CATEGORY_MARKETING, kMiami, now), &miami, now);
  EXPECT_EQ(d.verdict, Verdict::kDefer);
  now = At("America/Chicago", 2024, 6, 12, 19, 59);
  const v1::ConsentState tulsa = Marketable(kTulsa);
  d = decider_->Decide(Request(v1::CATEGORY_MARKETING, kTulsa, now), &tulsa, now);
  ASSERT_EQ(d.verdict, Verdict::kApprove);
  EXPECT_EQ(d.window_end, At("America/Chicago", 2024, 6, 12, 20, 0));
  ASSERT_EQ(d.caps.size(), 1u);  // FL/OK marketing cap applies
  EXPECT_EQ(d.caps[0].limit, 3);
}

TEST_F(GateDeciderTest, ExemptCategoriesIgnoreQuietHours) {
  const absl::Time three_am = At("America/New_York", 2024, 6, 12, 3, 0);
  v1::ConsentState s = State();
  Grant(s, v1::CONSENT_KIND_EXPRESS, three_am - absl::Hours(1));
  for (v1::Category c : {v1::CATEGORY_OTP, v1::CATEGORY_TRANSACTIONAL, v1::CATEGORY_COMPLIANCE}) {
    EXPECT_EQ(decider_->Decide(Request(c, kNewYork, three_am), &s, three_am).verdict,
              Verdict::kApprove)
        << v1::Category_Name(c);
  }
  EXPECT_EQ(decider_->Decide(Request(v1::CATEGORY_CONVERSATIONAL, kNewYork, three_am), &s, three_am)
                .verdict,
            Verdict::kDefer);
}

TEST_F(GateDeciderTest, KnownTimeZoneAndRegionWinOverTheNumber) {
  const absl::Time now = At("America/New_York", 2024, 6, 12, 8, 30);  // 05:30 in Los Angeles
  const v1::ConsentState s = Marketable(kNewYork);
  v1::OutboundRequest r = Request(v1::CATEGORY_MARKETING, kNewYork, now);
  r.set_recipient_time_zone("America/Los_Angeles");
  Decision d = decider_->Decide(r, &s, now);
  ASSERT_EQ(d.verdict, Verdict::kDefer);
  EXPECT_EQ(d.release_time, At("America/Los_Angeles", 2024, 6, 12, 8, 0));
  // A NY number whose holder is known to live in Florida gets Florida's rules.
  const absl::Time eight_pm = At("America/New_York", 2024, 6, 12, 20, 30);
  r = Request(v1::CATEGORY_MARKETING, kNewYork, eight_pm);
  r.set_recipient_region("US-FL");
  d = decider_->Decide(r, &s, eight_pm);
  EXPECT_EQ(d.verdict, Verdict::kDefer);
  r.clear_recipient_region();
  d = decider_->Decide(r, &s, eight_pm);
  ASSERT_EQ(d.verdict, Verdict::kApprove);
  EXPECT_TRUE(d.caps.empty());  // no cap in New York
}

TEST_F(GateDeciderTest, Validity) {
  const v1::ConsentState s = Marketable(kNewYork);
  v1::OutboundRequest r = Request(v1::CATEGORY_MARKETING, kNewYork, Noon(), absl::Hours(1));
  Decision d = decider_->Decide(r, &s, Noon() + absl::Hours(1));
  EXPECT_EQ(d.reason, v1::REASON_CODE_VALIDITY_EXPIRED);
  // At 22:00 the next window opens at 08:00; a 2 h validity ends before it.
  const absl::Time ten_pm = At("America/New_York", 2024, 6, 12, 22, 0);
  r = Request(v1::CATEGORY_MARKETING, kNewYork, ten_pm, absl::Hours(2));
  d = decider_->Decide(r, &s, ten_pm);
  EXPECT_EQ(d.verdict, Verdict::kReject);
  EXPECT_EQ(d.reason, v1::REASON_CODE_QUIET_HOURS);
  // No expire_time: the default validity counts from request_time.
  r = Request(v1::CATEGORY_TRANSACTIONAL, kNewYork, Noon());
  r.clear_expire_time();
  v1::ConsentState t = State();
  Grant(t, v1::CONSENT_KIND_EXPRESS, Noon());
  EXPECT_EQ(decider_->Decide(r, &t, Noon() + absl::Hours(71)).verdict, Verdict::kApprove);
  EXPECT_EQ(decider_->Decide(r, &t, Noon() + absl::Hours(72)).reason,
            v1::REASON_CODE_VALIDITY_EXPIRED);
}

TEST_F(GateDeciderTest, ScheduledSendTime) {
  v1::ConsentState s = State();
  Grant(s, v1::CONSENT_KIND_EXPRESS, Noon() - absl::Hours(1));
  v1::OutboundRequest r = Request(v1::CATEGORY_TRANSACTIONAL);
  SetTime(Noon() + absl::Hours(3), r.mutable_send_time());
  Decision d = decider_->Decide(r, &s, Noon());
  ASSERT_EQ(d.verdict, Verdict::kDefer);
  EXPECT_FALSE(d.quiet_hours);
  EXPECT_EQ(d.reason, v1::REASON_CODE_UNSPECIFIED);
  EXPECT_EQ(d.release_time, Noon() + absl::Hours(3));
  EXPECT_EQ(decider_->Decide(r, &s, Noon() + absl::Hours(3)).verdict, Verdict::kApprove);
  SetTime(Noon() + absl::Hours(100), r.mutable_send_time());
  EXPECT_EQ(decider_->Decide(r, &s, Noon()).reason, v1::REASON_CODE_VALIDITY_EXPIRED);
}

TEST_F(GateDeciderTest, InvalidRequests) {
  v1::OutboundRequest r = Request(v1::CATEGORY_MARKETING, "+1212555");
  Decision d = decider_->Decide(r, nullptr, Noon());
  EXPECT_EQ(d.reason, v1::REASON_CODE_INVALID_NUMBER);
  EXPECT_EQ(d.description.find("1212555"), std::string::npos) << "number not redacted";
  r = Request(v1::CATEGORY_UNSPECIFIED);
  EXPECT_EQ(decider_->Decide(r, nullptr, Noon()).reason, v1::REASON_CODE_INVALID_FIELD);
  EXPECT_EQ(ReasonName(v1::REASON_CODE_RECIPIENT_OPTED_OUT), "recipient_opted_out");
}

}  // namespace
}  // namespace smsflow::consent::gate

namespace smsflow::consent::gate {
namespace {

TEST(GateDeciderParseTest, FastPathAgreesWithLibphonenumber) {
  auto decider = testing::MakeDecider();
  for (const char* to : {"+12125550123", "+13055550123", "+19185550123", "+14165550123"}) {
    auto fast = decider->ParseRecipient(to);
    auto full = sms::ParsePhone(to, "");
    ASSERT_TRUE(fast.ok() && full.ok()) << to;
    EXPECT_EQ(fast->e164, full->e164);
    EXPECT_EQ(fast->area_code, full->area_code) << to;
    EXPECT_EQ(fast->country_code, full->country_code);
  }
  // Not NANP, not E.164, an unknown NPA or a bad exchange: the full parser decides.
  EXPECT_TRUE(decider->ParseRecipient("+442079460958").ok());
  EXPECT_FALSE(decider->ParseRecipient("2125550123").ok());
  EXPECT_FALSE(decider->ParseRecipient("+12120550123").ok());
  EXPECT_FALSE(decider->ParseRecipient("+1212555012").ok());
}

}  // namespace
}  // namespace smsflow::consent::gate
