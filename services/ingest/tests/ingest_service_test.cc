// IngestService against a real devkafka cluster and a gRPC server on port 0.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/kafka/topics.h"
#include "lib/server/service_host.h"
#include "lib/sms/message_id.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/topic_reader.h"
#include "services/ingest/tests/ingest_fixture.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest {
namespace {

using ::testing::HasSubstr;

class IngestServiceTest : public IngestFixture {
 protected:
  grpc::Status Receive(const std::string& from, const std::string& to, const std::string& body,
                       v1::ReceiveMessageResponse* resp, const std::string& tenant = "",
                       const std::string& provider_id = "SM123") {
    grpc::ClientContext ctx;
    if (!tenant.empty()) ctx.AddMetadata(server::kTenantMetadataKey, tenant);
    return stub_->ReceiveMessage(&ctx, Request(from, to, body, provider_id), resp);
  }
};

TEST_F(IngestServiceTest, AcceptedMessageIsOnTheInboundTopic) {
  testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  v1::ReceiveMessageResponse resp;
  grpc::Status st =
      Receive("(415) 555-0123", "+1 415 555 0100", "What are your hours? \xF0\x9F\x98\x80", &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
  EXPECT_TRUE(sms::IsMessageId(resp.message_id()));
  EXPECT_EQ(resp.tenant_id(), "acme");
  EXPECT_EQ(resp.encoding(), v1::ENCODING_UCS2);

  auto messages = reader.WaitForCount(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].key, "acme|+14155550123");
  ASSERT_NE(messages[0].Header(kafka::kTypeHeader), nullptr);
  EXPECT_EQ(*messages[0].Header(kafka::kTypeHeader), "smsflow.v1.InboundMessage");
  v1::InboundMessage msg;
  ASSERT_TRUE(msg.ParseFromString(messages[0].value));
  EXPECT_EQ(msg.message_id(), resp.message_id());
  EXPECT_EQ(msg.tenant_id(), "acme");
  EXPECT_EQ(msg.sender_scope(), "main");
  EXPECT_EQ(msg.from(), "+14155550123");
  EXPECT_EQ(msg.to(), "+14155550100");
  EXPECT_EQ(msg.segments(), 1);
  EXPECT_EQ(msg.provider(), "twilio");
  EXPECT_EQ(msg.provider_message_id(), "SM123");
  EXPECT_EQ(msg.source(), v1::INBOUND_SOURCE_GRPC);
  EXPECT_TRUE(msg.has_received_time());
}

TEST_F(IngestServiceTest, InvalidFieldsAreRejectedByName) {
  v1::ReceiveMessageResponse resp;
  grpc::Status st = Receive("garbage", "+14155550100", "hi", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("from: "));
  st = Receive("+14155550123", "+14155550100", "", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("body: "));
}

TEST_F(IngestServiceTest, UnknownDestinationIsRejected) {
  v1::ReceiveMessageResponse resp;
  grpc::Status st = Receive("+14155550123", "+14155550199", "hi", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("to: +14155550199 is not a number of any tenant"));
}

TEST_F(IngestServiceTest, CallerConfinedToAnotherTenantIsDenied) {
  v1::ReceiveMessageResponse resp;
  grpc::Status st = Receive("+14155550123", "+14155550100", "hi", &resp, "globex");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IngestServiceTest, ProviderRetryIsADuplicatePublishedOnce) {
  testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  v1::ReceiveMessageResponse first, second;
  ASSERT_TRUE(Receive("+14155550123", "+14155550100", "STOP", &first, "", "SMretry1").ok());
  ASSERT_TRUE(Receive("+14155550123", "+14155550100", "STOP", &second, "", "SMretry1").ok());
  EXPECT_EQ(first.outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
  EXPECT_EQ(second.outcome(), v1::RECEIVE_OUTCOME_DUPLICATE);
  EXPECT_EQ(second.message_id(), first.message_id());
  // A later, different message proves the reader caught up; the retry is not there.
  v1::ReceiveMessageResponse third;
  ASSERT_TRUE(Receive("+14155550123", "+14155550100", "START", &third, "", "SMretry2").ok());
  auto messages = reader.WaitForCount(2);
  ASSERT_EQ(messages.size(), 2u);
  v1::InboundMessage a, b;
  ASSERT_TRUE(a.ParseFromString(messages[0].value));
  ASSERT_TRUE(b.ParseFromString(messages[1].value));
  EXPECT_EQ(a.message_id(), first.message_id());
  EXPECT_EQ(b.message_id(), third.message_id());
}

TEST_F(IngestServiceTest, RedisDownStillAcceptsWithoutDedup) {
  redis_.Stop();
  v1::ReceiveMessageResponse resp;
  grpc::Status st = Receive("+14155550123", "+14155550100", "STOP", &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
}

TEST_F(IngestServiceTest, KafkaDownMeansUnavailableNotAcknowledged) {
  kafka_.Stop();
  v1::ReceiveMessageResponse resp;
  grpc::Status st = Receive("+14155550123", "+14155550100", "STOP", &resp, "", "SMdown");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(resp.message_id().empty());
  // The failed attempt released its dedup claim: the provider's retry is new.
  auto claim = dedup_->ClaimAll({{"acme|twilio|SMdown", "x"}});
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ((*claim)[0].kind, store::ClaimResult::Kind::kNew);
}

}  // namespace
}  // namespace smsflow::ingest
