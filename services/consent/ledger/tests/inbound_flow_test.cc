// STOP / START / HELP / plain-language / implied consent end to end through
// sms.inbound.v1 -> consent -> sms.consent.v1 + sms.outbound.requested.v1 ->
// the Redis view, on devkafka and redis-server.
#include "services/consent/ledger/tests/ledger_fixture.h"

namespace smsflow::consent::ledger {
namespace {

class InboundFlowTest : public LedgerFixture {};

TEST_F(InboundFlowTest, StopRecordsOptOutSendsOneConfirmationAndBlocksMarketing) {
  const v1::InboundMessage stop = Inbound("Stop.");
  const auto events = LedgerEvents(1);
  ASSERT_EQ(events.size(), 1u);
  const v1::ConsentEvent& e = events[0];
  EXPECT_EQ(e.action(), v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_EQ(e.inbound_message_id(), stop.message_id());
  EXPECT_EQ(e.proof().text(), "Stop.");
  EXPECT_EQ(e.evidence().method(), v1::DETECTION_METHOD_KEYWORD);
  EXPECT_EQ(ledger_reader_->Messages()[0].key, std::string("acme|") + kCustomer);

  const auto replies = Replies(1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].category(), v1::CATEGORY_COMPLIANCE);
  EXPECT_EQ(replies[0].origin(), v1::OUTBOUND_ORIGIN_CONSENT_REPLY);
  EXPECT_EQ(replies[0].consent_event_id(), e.event_id());
  EXPECT_EQ(replies[0].message_id(), e.confirmation_message_id());
  EXPECT_EQ(replies[0].from(), kBusiness);
  EXPECT_EQ(replies[0].to(), kCustomer);
  EXPECT_NE(replies[0].body().find("Acme Coffee"), std::string::npos);
  EXPECT_NE(replies[0].body().find("START"), std::string::npos);
  EXPECT_EQ(outbound_reader_->Messages()[0].key, std::string("acme|") + kCustomer);

  ASSERT_TRUE(WaitApplied(e.event_id()));
  EXPECT_TRUE(State()->opted_out());
  const v1::ConsentDecision d = Check(v1::CATEGORY_MARKETING);
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  EXPECT_EQ(d.basis_event().event_id(), e.event_id());
  EXPECT_EQ(d.basis_event().proof().text(), "Stop.");  // the full ledger entry
  EXPECT_TRUE(Check(v1::CATEGORY_COMPLIANCE).allowed());
}

TEST_F(InboundFlowTest, RepeatedStopWithinWindowIsRecordedWithoutSecondConfirmation) {
  Inbound("STOP");
  Replies(1);
  Inbound("stop");
  // HELP comes after the second STOP on the same partition (same key), and its
  // reply is keyed like a confirmation would be: once the help reply is in,
  // a second STOP confirmation would have been seen before it.
  Inbound("HELP");
  const auto events = LedgerEvents(3);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].action(), v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_TRUE(events[1].confirmation_message_id().empty());
  EXPECT_NE(events[0].event_id(), events[1].event_id());
  const auto replies = Replies(2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].consent_event_id(), events[0].event_id());
  EXPECT_EQ(replies[1].consent_event_id(), events[2].event_id());  // the help text
}

TEST_F(InboundFlowTest, StartRestoresOptInAndKeepsEarlierGrants) {
  // Express written consent from a web form, then STOP, then START.
  grpc::ClientContext ctx;
  ctx.AddMetadata(server::kTenantMetadataKey, "acme");
  v1::GrantConsentRequest g;
  g.set_tenant_id("acme");
  g.set_sender_scope("main");
  g.set_recipient(kCustomer);
  g.set_kind(v1::CONSENT_KIND_EXPRESS_WRITTEN);
  g.mutable_proof()->set_source(v1::CONSENT_SOURCE_WEB_FORM);
  *g.mutable_proof()->mutable_capture_time() = ToProto(absl::Now() - absl::Minutes(1));
  g.mutable_proof()->set_text("Yes, send me offers");
  g.mutable_proof()->set_reference("form 7 submission 1");
  v1::GrantConsentResponse gr;
  ASSERT_TRUE(stub_->GrantConsent(&ctx, g, &gr).ok());
  ASSERT_TRUE(WaitApplied(gr.event().event_id()));
  EXPECT_TRUE(Check(v1::CATEGORY_MARKETING).allowed());

  Inbound("STOP");
  const auto stop = LedgerEvents(2);
  ASSERT_TRUE(WaitApplied(stop[1].event_id()));
  EXPECT_FALSE(Check(v1::CATEGORY_MARKETING).allowed());

  Inbound("START");
  const auto start = LedgerEvents(3);
  EXPECT_EQ(start[2].action(), v1::CONSENT_ACTION_OPT_IN);
  ASSERT_TRUE(WaitApplied(start[2].event_id()));
  const auto state = State();
  EXPECT_FALSE(state->opted_out());
  ASSERT_EQ(state->grants_size(), 1);
  EXPECT_EQ(state->grants(0).event_id(), gr.event().event_id());
  const v1::ConsentDecision d = Check(v1::CATEGORY_MARKETING);
  EXPECT_TRUE(d.allowed());
  EXPECT_EQ(d.basis_kind(), v1::CONSENT_KIND_EXPRESS_WRITTEN);
  EXPECT_EQ(d.basis_event().proof().reference(), "form 7 submission 1");
  const auto replies = Replies(2);  // opt-out and opt-in confirmations
  EXPECT_EQ(replies[1].body(), configs_->Find("acme")->config.replies.opt_in);
}

TEST_F(InboundFlowTest, HelpIsAnsweredWithTheBrandsHelpText) {
  Inbound("help");
  const auto replies = Replies(1);
  const std::string& body = replies[0].body();
  for (const char* part :
       {"Acme Coffee", "order updates and offers", "Msg frequency varies",
        "Msg & data rates may apply", "help@acme.example", "Reply STOP to cancel"}) {
    EXPECT_NE(body.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(LedgerEvents(1)[0].action(), v1::CONSENT_ACTION_HELP);
}

TEST_F(InboundFlowTest, PlainLanguageOptOutIsRecordedWithPhraseEvidence) {
  Inbound("please stop texting me");
  const auto events = LedgerEvents(1);
  EXPECT_EQ(events[0].action(), v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_EQ(events[0].evidence().method(), v1::DETECTION_METHOD_PHRASE_RULE);
  EXPECT_EQ(events[0].proof().source(), v1::CONSENT_SOURCE_INBOUND_MESSAGE);
  EXPECT_GE(events[0].evidence().score(), events[0].evidence().threshold());
  ASSERT_TRUE(WaitApplied(events[0].event_id()));
  EXPECT_EQ(Check(v1::CATEGORY_MARKETING).reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  EXPECT_EQ(Replies(1).size(), 1u);
}

TEST_F(InboundFlowTest, FirstTextGrantsImpliedConsentOnce) {
  Inbound("do you have oat milk?");
  const auto first = LedgerEvents(1);
  EXPECT_EQ(first[0].kind(), v1::CONSENT_KIND_IMPLIED);
  ASSERT_TRUE(WaitApplied(first[0].event_id()));
  EXPECT_TRUE(Check(v1::CATEGORY_CONVERSATIONAL).allowed());
  EXPECT_FALSE(Check(v1::CATEGORY_MARKETING).allowed());
  // A second text within the window records nothing new; the HELP after it
  // (same partition) proves the consumer has passed it.
  Inbound("and almond?");
  Inbound("HELP");
  const auto events = LedgerEvents(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].action(), v1::CONSENT_ACTION_HELP);
}

TEST_F(InboundFlowTest, RedeliveredInboundYieldsTheSameIdsAndOneHistoryEntry) {
  const v1::InboundMessage m = Inbound("STOP");
  Inbound("STOP", kCustomer, m.message_id());  // what a redelivery looks like downstream
  const auto events = LedgerEvents(2);
  EXPECT_EQ(events[0].event_id(), events[1].event_id());
  const auto replies = Replies(2);  // same window owner: the confirmation is re-sent, same id
  EXPECT_EQ(replies[0].message_id(), replies[1].message_id());
  ASSERT_TRUE(testing::WaitFor([&] { return ledger_consumer_->Stats().done >= 2; }));
  auto page = history_->List("acme", kCustomer, "", 100, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->events.size(), 1u);
  EXPECT_TRUE(State()->opted_out());
}

}  // namespace
}  // namespace smsflow::consent::ledger
