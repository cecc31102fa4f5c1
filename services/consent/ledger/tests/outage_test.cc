// Nothing accepted is lost: with Kafka or Redis down the keyword handler
// answers kRetry (the consumer re-delivers), and the retry sends the same
// event and the one confirmation.
#include "services/consent/ledger/tests/ledger_fixture.h"

namespace smsflow::consent::ledger {
namespace {

class OutageTest : public LedgerFixture {
 protected:
  std::vector<kafka::Disposition> HandleOne(const v1::InboundMessage& m) {
    kafka::Message raw;
    raw.topic = std::string(kafka::topics::kInbound);
    raw.partition = 0;
    raw.offset = 0;
    kafka::ProtoBatch<v1::InboundMessage> batch;
    batch.emplace_back(&raw, m);
    return handler_->Handle(batch);
  }
  static v1::InboundMessage Stop() {
    v1::InboundMessage m;
    m.set_message_id(sms::NewMessageId());
    m.set_tenant_id("acme");
    m.set_sender_scope("main");
    m.set_from(kCustomer);
    m.set_to(kBusiness);
    m.set_body("STOP");
    *m.mutable_received_time() = ToProto(absl::Now());
    return m;
  }
};

TEST_F(OutageTest, KafkaDownIsRetriedAndTheRetrySendsOneConfirmation) {
  const v1::InboundMessage m = Stop();
  kafka_.TakeBrokersDown();
  auto d = HandleOne(m);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kRetry);
  kafka_.BringBrokersUp();
  d = HandleOne(m);
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kDone) << d[0].reason;
  const auto events = LedgerEvents(1);
  const auto replies = Replies(1);
  // The window was claimed by this event on the failed attempt; the retry
  // still owns it and sends the confirmation, with the same ids.
  for (const auto& e : events) EXPECT_EQ(e.event_id(), events[0].event_id());
  for (const auto& r : replies) EXPECT_EQ(r.consent_event_id(), events[0].event_id());
  EXPECT_EQ(events[0].confirmation_message_id(), replies[0].message_id());
}

TEST_F(OutageTest, RedisDownIsRetried) {
  redis_.Stop();
  auto d = HandleOne(Stop());
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kRetry);
  // The test server keeps nothing across a restart: the view came back
  // empty, so it is not ready and the handler keeps retrying...
  redis_.Start();
  d = HandleOne(Stop());
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kRetry);
  EXPECT_NE(d[0].reason.find("consent view: not ready"), std::string::npos) << d[0].reason;
  // ... until a restore marks it ready (the ViewGuardian's job).
  ASSERT_TRUE(*view_->BeginRestore("restored", std::chrono::seconds(60)));
  ASSERT_TRUE(view_->MarkReady("restored").ok());
  d = HandleOne(Stop());
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kDone) << d[0].reason;
}

TEST_F(OutageTest, InvalidInboundIsDeadLetteredNamingTheField) {
  v1::InboundMessage m = Stop();
  m.set_tenant_id("nobody");
  auto d = HandleOne(m);
  EXPECT_EQ(d[0].outcome, kafka::Outcome::kDeadLetter);
  EXPECT_EQ(d[0].reason.rfind("tenant_id:", 0), 0u) << d[0].reason;
  m = Stop();
  m.clear_from();
  EXPECT_EQ(HandleOne(m)[0].reason, "from: missing");
}

}  // namespace
}  // namespace smsflow::consent::ledger
