// Inbound records in, routed records and auto-replies out, on devkafka.
#include "services/router/tests/router_fixture.h"

namespace smsflow::router {
namespace {

class RoutingTest : public RouterFixture {};

TEST_F(RoutingTest, InboundIsRoutedToTheRuleDestination) {
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  const v1::InboundMessage in = Inbound("Balance!");
  Send(in);
  auto r = WaitRouted(routed, in.message_id());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->classification().destination(), "billing");
  EXPECT_EQ(r->classification().rule_id(), "balance");
  EXPECT_EQ(r->classification().match_kind(), v1::MATCH_KIND_KEYWORD);
  EXPECT_EQ(r->message().body(), "Balance!");
  EXPECT_TRUE(r->auto_reply_message_id().empty());
  for (const auto& m : routed.Messages()) {
    EXPECT_EQ(m.key, "acme|+14155550123");
    ASSERT_NE(m.Header(kafka::kTypeHeader), nullptr);
    EXPECT_EQ(*m.Header(kafka::kTypeHeader), "smsflow.v1.RoutedMessage");
  }
}

TEST_F(RoutingTest, AutoReplyIsAnOutboundRequestLinkedToTheInbound) {
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  testing::TopicReader outbound(kafka_.bootstrap(),
                                {std::string(kafka::topics::kOutboundRequested)});
  const v1::InboundMessage in = Inbound("hours today?");
  Send(in);
  auto messages = outbound.WaitForCount(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].key, "acme|+14155550123");
  auto requests = Decode<v1::OutboundRequest>(messages);
  ASSERT_EQ(requests.size(), 1u);
  const v1::OutboundRequest& req = requests[0];
  EXPECT_EQ(req.body(), "We are open 9am-5pm");
  EXPECT_EQ(req.category(), v1::CATEGORY_CONVERSATIONAL);
  EXPECT_EQ(req.origin(), v1::OUTBOUND_ORIGIN_ROUTER_AUTO_REPLY);
  EXPECT_EQ(req.inbound_message_id(), in.message_id());
  EXPECT_EQ(req.from(), "+14155550100");
  EXPECT_EQ(req.to(), "+14155550123");
  EXPECT_EQ(req.encoding(), v1::ENCODING_GSM7);
  EXPECT_EQ(req.segments(), 1);
  auto r = WaitRouted(routed, in.message_id());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->classification().destination(), "store");
  EXPECT_EQ(r->auto_reply_message_id(), req.message_id());
}

TEST_F(RoutingTest, StopIsRoutedButNeverAutoAnswered) {
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  testing::TopicReader outbound(kafka_.bootstrap(),
                                {std::string(kafka::topics::kOutboundRequested)});
  const v1::InboundMessage stop = Inbound("Stop.");
  const v1::InboundMessage hours = Inbound("hours");
  Send(stop);
  Send(hours);  // same conversation, so routed after the STOP
  auto r = WaitRouted(routed, hours.message_id());
  ASSERT_TRUE(r.has_value());
  auto s = WaitRouted(routed, stop.message_id());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->classification().destination(), "optouts");
  EXPECT_TRUE(s->classification().compliance_keyword());
  EXPECT_EQ(s->classification().keyword_family(), v1::KEYWORD_FAMILY_OPT_OUT);
  EXPECT_TRUE(s->auto_reply_message_id().empty());
  auto requests = Decode<v1::OutboundRequest>(outbound.WaitForCount(1));
  ASSERT_EQ(requests.size(), 1u);  // only the HOURS reply
  EXPECT_EQ(requests[0].inbound_message_id(), hours.message_id());
}

// The tenant's own opt-out word and a plain-language opt-out are what the
// consent service records as opt-outs: the catch-all must not answer them.
TEST_F(RoutingTest, TenantKeywordsAndPlainLanguageOptOutsAreNeverAutoAnswered) {
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  testing::TopicReader outbound(kafka_.bootstrap(),
                                {std::string(kafka::topics::kOutboundRequested)});
  const v1::InboundMessage alto = Inbound("Alto!", "globex");
  const v1::InboundMessage plain = Inbound("please remove my number from your list", "globex");
  const v1::InboundMessage hello = Inbound("is anyone there?", "globex");
  Send(alto);
  Send(plain);
  Send(hello);  // same conversation: routed after the other two
  auto h = WaitRouted(routed, hello.message_id());
  ASSERT_TRUE(h.has_value());
  EXPECT_FALSE(h->auto_reply_message_id().empty());
  for (const v1::InboundMessage* m : {&alto, &plain}) {
    auto r = WaitRouted(routed, m->message_id());
    ASSERT_TRUE(r.has_value()) << m->body();
    EXPECT_TRUE(r->classification().compliance_keyword()) << m->body();
    EXPECT_EQ(r->classification().keyword_family(), v1::KEYWORD_FAMILY_OPT_OUT) << m->body();
    EXPECT_EQ(r->classification().destination(), "compliance") << m->body();
    EXPECT_TRUE(r->auto_reply_message_id().empty()) << m->body();
  }
  auto requests = Decode<v1::OutboundRequest>(outbound.WaitForCount(1));
  ASSERT_EQ(requests.size(), 1u);  // only the catch-all's answer to "is anyone there?"
  EXPECT_EQ(requests[0].inbound_message_id(), hello.message_id());
}

TEST_F(RoutingTest, RedeliveredInboundYieldsTheSameAutoReplyId) {
  testing::TopicReader outbound(kafka_.bootstrap(),
                                {std::string(kafka::topics::kOutboundRequested)});
  const v1::InboundMessage in = Inbound("HOURS");
  Send(in);
  Send(in);  // what a redelivery looks like to the router
  auto requests = Decode<v1::OutboundRequest>(outbound.WaitForCount(2));
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].message_id(), requests[1].message_id());
  EXPECT_TRUE(sms::IsMessageId(requests[0].message_id()));
}

TEST_F(RoutingTest, UnknownTenantGoesToDefaultAndBadRecordsToTheDlq) {
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  testing::TopicReader dlq(kafka_.bootstrap(), {kafka::topics::Dlq(kafka::topics::kInbound)});
  kafka::Record garbage;
  garbage.topic = std::string(kafka::topics::kInbound);
  garbage.key = "x";
  garbage.value = "\xff\xff not a protobuf";
  ASSERT_TRUE(producer_->SendSync(garbage).ok());
  v1::InboundMessage bad_id = Inbound("hours");
  bad_id.set_message_id("12345");
  Send(bad_id);
  const v1::InboundMessage stranger = Inbound("hours", "initech");
  Send(stranger);

  auto r = WaitRouted(routed, stranger.message_id());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->classification().destination(), "default");
  EXPECT_EQ(r->classification().match_kind(), v1::MATCH_KIND_DEFAULT);

  auto parked = dlq.WaitForCount(2);
  ASSERT_EQ(parked.size(), 2u);
  std::vector<std::string> reasons;
  for (const auto& m : parked) {
    ASSERT_NE(m.Header(kafka::kDlqReasonHeader), nullptr);
    reasons.push_back(*m.Header(kafka::kDlqReasonHeader));
  }
  std::sort(reasons.begin(), reasons.end());
  EXPECT_NE(reasons[0].find("decode"), std::string::npos) << reasons[0];
  EXPECT_NE(reasons[1].find("validation: message_id"), std::string::npos) << reasons[1];
}

}  // namespace
}  // namespace smsflow::router
