#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "lib/consent_view/consent_state.h"
#include "services/consent/ledger/consent_service_support.h"
#include "services/consent/ledger/inbound_plan.h"
#include "services/consent/ledger/tests/test_tenants.h"

namespace smsflow::consent::ledger {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1750000000);

v1::ConsentEvent Event(v1::ConsentAction action, v1::ConsentKind kind, const std::string& id,
                       absl::Time at) {
  v1::ConsentEvent e;
  e.set_event_id(id);
  e.set_tenant_id("acme");
  e.set_sender_scope("main");
  e.set_recipient("+14155559999");
  e.set_action(action);
  e.set_kind(kind);
  e.mutable_proof()->set_source(v1::CONSENT_SOURCE_API);
  *e.mutable_record_time() = ToProto(at);
  return e;
}

TEST(DecideTest, NothingOnRecordIsNoConsentExceptCompliance) {
  std::string reason;
  auto d = Decide(v1::CATEGORY_MARKETING, "+14155559999", nullptr, absl::Hours(24), kNow, &reason);
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.reason_code(), v1::REASON_CODE_NO_CONSENT);
  EXPECT_EQ(reason, "no_consent");
  EXPECT_FALSE(d.has_basis_event());
  EXPECT_TRUE(Decide(v1::CATEGORY_COMPLIANCE, "+1", nullptr, absl::Hours(24), kNow).allowed());
}

TEST(DecideTest, OptOutRestsOnTheOptOutEvent) {
  v1::ConsentState s;
  consentview::ApplyEvent(Event(v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_EXPRESS_WRITTEN, "g1",
                                kNow - absl::Hours(5)),
                          &s);
  consentview::ApplyEvent(
      Event(v1::CONSENT_ACTION_OPT_OUT, v1::CONSENT_KIND_UNSPECIFIED, "o1", kNow - absl::Hours(1)),
      &s);
  auto d = Decide(v1::CATEGORY_MARKETING, "+14155559999", &s, absl::Hours(24), kNow);
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  EXPECT_EQ(d.basis_event().event_id(), "o1");
  EXPECT_EQ(d.basis_event().action(), v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_TRUE(Decide(v1::CATEGORY_COMPLIANCE, "+1", &s, absl::Hours(24), kNow).allowed());
  // START: the earlier grant applies again.
  consentview::ApplyEvent(
      Event(v1::CONSENT_ACTION_OPT_IN, v1::CONSENT_KIND_UNSPECIFIED, "i1", kNow), &s);
  d = Decide(v1::CATEGORY_MARKETING, "+14155559999", &s, absl::Hours(24), kNow);
  EXPECT_TRUE(d.allowed());
  EXPECT_EQ(d.basis_kind(), v1::CONSENT_KIND_EXPRESS_WRITTEN);
  EXPECT_EQ(d.basis_event().event_id(), "g1");
}

TEST(DecideTest, StrongestGrantIsTheBasisAndLapsedGrantsDoNotCount) {
  v1::ConsentState s;
  consentview::ApplyEvent(
      Event(v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_IMPLIED, "imp", kNow - absl::Hours(1)), &s);
  consentview::ApplyEvent(
      Event(v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_EXPRESS, "exp", kNow - absl::Hours(2)), &s);
  auto d = Decide(v1::CATEGORY_TRANSACTIONAL, "+1", &s, absl::Hours(24), kNow);
  EXPECT_TRUE(d.allowed());
  EXPECT_EQ(d.basis_event().event_id(), "exp");
  d = Decide(v1::CATEGORY_MARKETING, "+1", &s, absl::Hours(24), kNow);
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.reason_code(), v1::REASON_CODE_NO_CONSENT);  // consent_insufficient on the wire

  v1::ConsentState lapsed;
  v1::ConsentEvent e =
      Event(v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_IMPLIED, "imp", kNow - absl::Hours(3));
  *e.mutable_expire_time() = ToProto(kNow - absl::Hours(1));
  consentview::ApplyEvent(e, &lapsed);
  EXPECT_FALSE(Decide(v1::CATEGORY_CONVERSATIONAL, "+1", &lapsed, absl::Hours(24), kNow).allowed());
}

TEST(ValidateTest, ChecksNameTheField) {
  auto tenants = *config::TenantDirectory::FromYaml(testdata::kTenants);
  v1::CheckConsentRequest r;
  r.set_sender_scope("main");
  r.set_recipient("(415) 555-9999");
  r.set_category(v1::CATEGORY_MARKETING);
  auto ok = ValidateCheck(r, "acme", *tenants);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->recipient, "+14155559999");

  auto bad = r;
  bad.set_recipient("12");
  auto st = ValidateCheck(bad, "acme", *tenants).status();
  EXPECT_TRUE(absl::StartsWith(std::string(st.message()), "recipient:")) << st;
  EXPECT_EQ(RejectionOf(st).reason_code(), v1::REASON_CODE_INVALID_NUMBER);
  bad = r;
  bad.set_sender_scope("nope");
  EXPECT_TRUE(absl::StartsWith(std::string(ValidateCheck(bad, "acme", *tenants).status().message()),
                               "sender_scope:"));
  bad = r;
  bad.set_category(v1::CATEGORY_UNSPECIFIED);
  EXPECT_EQ(RejectionOf(ValidateCheck(bad, "acme", *tenants).status()).field(), "category");
  bad = r;
  bad.set_tenant_id("globex");
  EXPECT_EQ(RejectionOf(ValidateCheck(bad, "acme", *tenants).status()).field(), "tenant_id");
}

TEST(ValidateTest, GrantProofNeedsSourceTimeTextAndReference) {
  v1::ConsentProof p;
  p.set_source(v1::CONSENT_SOURCE_WEB_FORM);
  *p.mutable_capture_time() = ToProto(kNow - absl::Minutes(1));
  p.set_text("I agree to receive offers");
  p.set_reference("form 12, submission 99");
  EXPECT_TRUE(ValidateGrantProof(p, kNow).ok());
  auto q = p;
  q.set_source(v1::CONSENT_SOURCE_KEYWORD);
  EXPECT_TRUE(absl::StartsWith(std::string(ValidateGrantProof(q, kNow).message()), "proof.source"));
  q = p;
  q.clear_capture_time();
  EXPECT_TRUE(
      absl::StartsWith(std::string(ValidateGrantProof(q, kNow).message()), "proof.capture_time"));
  q = p;
  *q.mutable_capture_time() = ToProto(kNow + absl::Hours(1));
  EXPECT_FALSE(ValidateGrantProof(q, kNow).ok());
  q = p;
  q.clear_text();
  EXPECT_TRUE(absl::StartsWith(std::string(ValidateGrantProof(q, kNow).message()), "proof.text"));
  q = p;
  q.clear_reference();
  EXPECT_FALSE(ValidateGrantProof(q, kNow).ok());
}

}  // namespace
}  // namespace smsflow::consent::ledger
