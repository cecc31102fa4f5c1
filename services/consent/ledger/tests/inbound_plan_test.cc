#include "services/consent/ledger/inbound_plan.h"

#include <gtest/gtest.h>

#include "lib/consent_view/consent_state.h"
#include "lib/sms/message_id.h"
#include "services/consent/ledger/derived_ids.h"
#include "services/consent/ledger/tests/test_tenants.h"

namespace smsflow::consent::ledger {
namespace {

class InboundPlanTest : public ::testing::Test {
 protected:
  InboundPlanTest()
      : tenants_(*config::TenantDirectory::FromYaml(testdata::kTenants)),
        configs_(*ConsentConfigSet::FromYaml(testdata::kConsentConfig, *tenants_)) {}

  v1::InboundMessage Message(const std::string& body, const std::string& to = "+14155550100") {
    v1::InboundMessage m;
    m.set_message_id(sms::NewMessageId());
    m.set_tenant_id("acme");
    m.set_sender_scope(to == "+14155550100" ? "main" : "tollfree");
    m.set_from("+14155559999");
    m.set_to(to);
    m.set_body(body);
    *m.mutable_received_time() = ToProto(now_ - absl::Seconds(2));
    return m;
  }

  InboundPlan Plan(const v1::InboundMessage& m, const v1::ConsentState* state = nullptr,
                   bool toll_free = false) {
    const auto* entry = configs_->Find("acme");
    InboundInputs in{
        tenants_->FindTenant("acme"), &entry->config, &entry->classifier, toll_free, state, now_};
    return PlanInbound(m, in);
  }

  absl::Time now_ = absl::FromUnixSeconds(1750000000);
  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::shared_ptr<const ConsentConfigSet> configs_;
};

TEST_F(InboundPlanTest, StopIsAnOptOutWithKeywordEvidenceAndOneConfirmation) {
  const v1::InboundMessage m = Message(" Stop! ");
  const InboundPlan p = Plan(m);
  ASSERT_TRUE(p.event.has_value());
  const v1::ConsentEvent& e = *p.event;
  EXPECT_EQ(e.action(), v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_EQ(e.tenant_id(), "acme");
  EXPECT_EQ(e.sender_scope(), "main");
  EXPECT_EQ(e.recipient(), "+14155559999");
  EXPECT_EQ(e.proof().source(), v1::CONSENT_SOURCE_KEYWORD);
  EXPECT_EQ(e.proof().text(), " Stop! ");
  EXPECT_EQ(e.proof().reference(), m.message_id());
  EXPECT_EQ(e.proof().recorded_by(), "consent");
  EXPECT_EQ(e.evidence().method(), v1::DETECTION_METHOD_KEYWORD);
  EXPECT_EQ(e.evidence().keyword_family(), v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_EQ(e.evidence().matched_text(), "STOP");
  EXPECT_FLOAT_EQ(e.evidence().score(), 1.0f);
  EXPECT_EQ(e.inbound_message_id(), m.message_id());
  EXPECT_EQ(e.event_id(), DerivedIdFromMessage(kEventPurpose, m.message_id(), now_));
  ASSERT_TRUE(p.reply.has_value());
  const v1::OutboundRequest& r = *p.reply;
  EXPECT_EQ(r.category(), v1::CATEGORY_COMPLIANCE);
  EXPECT_EQ(r.origin(), v1::OUTBOUND_ORIGIN_CONSENT_REPLY);
  EXPECT_EQ(r.consent_event_id(), e.event_id());
  EXPECT_EQ(e.confirmation_message_id(), r.message_id());
  EXPECT_EQ(r.from(), "+14155550100");
  EXPECT_EQ(r.to(), "+14155559999");
  EXPECT_EQ(r.body(), configs_->Find("acme")->config.replies.opt_out);
  EXPECT_EQ(r.encoding(), v1::ENCODING_GSM7);
  EXPECT_EQ(r.segments(), 1);
  EXPECT_TRUE(r.has_expire_time());
  EXPECT_TRUE(sms::IsMessageId(r.message_id()));
}

TEST_F(InboundPlanTest, RedeliveryYieldsTheSameIds) {
  const v1::InboundMessage m = Message("STOP");
  const InboundPlan a = Plan(m);
  now_ += absl::Minutes(3);
  const InboundPlan b = Plan(m);
  EXPECT_EQ(a.event->event_id(), b.event->event_id());
  EXPECT_EQ(a.reply->message_id(), b.reply->message_id());
}

TEST_F(InboundPlanTest, TenantExtraKeywordIsAnOptOut) {
  const InboundPlan p = Plan(Message("parar"));
  EXPECT_EQ(p.event->action(), v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_EQ(p.family, "opt_out");
}

TEST_F(InboundPlanTest, PlainLanguageOptOutCarriesPhraseEvidence) {
  const InboundPlan p = Plan(Message("please stop texting me"));
  ASSERT_TRUE(p.event.has_value());
  EXPECT_EQ(p.event->action(), v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_EQ(p.event->proof().source(), v1::CONSENT_SOURCE_INBOUND_MESSAGE);
  const v1::ConsentEvidence& ev = p.event->evidence();
  EXPECT_EQ(ev.method(), v1::DETECTION_METHOD_PHRASE_RULE);
  EXPECT_FALSE(ev.rule_id().empty());
  EXPECT_GE(ev.score(), ev.threshold());
  EXPECT_FLOAT_EQ(ev.threshold(), 0.8f);
  EXPECT_FALSE(ev.model_version().empty());
  EXPECT_TRUE(p.reply.has_value());
  EXPECT_EQ(p.method, "phrase");
}

TEST_F(InboundPlanTest, StartAndHelp) {
  const InboundPlan start = Plan(Message("START"));
  EXPECT_EQ(start.event->action(), v1::CONSENT_ACTION_OPT_IN);
  EXPECT_EQ(start.reply->body(), configs_->Find("acme")->config.replies.opt_in);
  const InboundPlan help = Plan(Message("ayuda"));
  EXPECT_EQ(help.event->action(), v1::CONSENT_ACTION_HELP);
  EXPECT_EQ(help.reply->body(), configs_->Find("acme")->config.replies.help);
}

TEST_F(InboundPlanTest, HelpWhileOptedOutOnTollFreeIsRecordedButNotAnswered) {
  v1::ConsentState opted;
  opted.set_opted_out(true);
  const InboundPlan toll = Plan(Message("HELP", "+18005550100"), &opted, /*toll_free=*/true);
  EXPECT_EQ(toll.event->action(), v1::CONSENT_ACTION_HELP);
  EXPECT_FALSE(toll.reply.has_value());
  EXPECT_TRUE(toll.event->confirmation_message_id().empty());
  EXPECT_EQ(toll.no_reply_reason, "help_opted_out_toll_free");
  // The tenant allows help when opted out on its long code.
  EXPECT_TRUE(Plan(Message("HELP"), &opted).reply.has_value());
  // Not opted out: toll-free numbers answer HELP too.
  EXPECT_TRUE(Plan(Message("HELP", "+18005550100"), nullptr, true).reply.has_value());
}

TEST_F(InboundPlanTest, OtherTextGrantsImpliedConsentForTheWindow) {
  const v1::InboundMessage m = Message("what time do you open?");
  const InboundPlan p = Plan(m);
  ASSERT_TRUE(p.event.has_value());
  EXPECT_EQ(p.family, "implied");
  EXPECT_EQ(p.event->action(), v1::CONSENT_ACTION_GRANT);
  EXPECT_EQ(p.event->kind(), v1::CONSENT_KIND_IMPLIED);
  EXPECT_EQ(p.event->proof().source(), v1::CONSENT_SOURCE_INBOUND_MESSAGE);
  EXPECT_EQ(p.event->evidence().method(), v1::DETECTION_METHOD_FIRST_MESSAGE);
  EXPECT_EQ(FromProto(p.event->expire_time()),
            FromProto(m.received_time()) + absl::Hours(12));  // acme's window
  EXPECT_FALSE(p.reply.has_value());
  // "don't stop the reminders" is not an opt-out: implied consent.
  EXPECT_EQ(Plan(Message("don't stop the reminders")).event->action(), v1::CONSENT_ACTION_GRANT);
}

TEST_F(InboundPlanTest, NoNewImpliedGrantWhileMoreThanHalfTheWindowIsLeft) {
  v1::ConsentState state;
  consentview::ApplyEvent(*Plan(Message("hi")).event, &state);
  // Fresh grant (12 h left of 12 h): nothing to record.
  const InboundPlan again = Plan(Message("hello again"), &state);
  EXPECT_FALSE(again.event.has_value());
  EXPECT_EQ(again.family, "none");
  // 7 h later less than half is left: a new grant refreshes it.
  now_ += absl::Hours(7);
  EXPECT_TRUE(Plan(Message("still there?"), &state).event.has_value());
}

}  // namespace
}  // namespace smsflow::consent::ledger
