// IngestService against a real devkafka cluster and a gRPC server on port 0.
#include "services/ingest/ingest_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "lib/kafka/topics.h"
#include "lib/server/service_host.h"
#include "lib/sms/message_id.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/topic_reader.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest {
namespace {

using ::testing::HasSubstr;

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
)";

class IngestServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    kafka::ProducerOptions popts;
    popts.brokers = kafka_.bootstrap();
    popts.delivery_timeout = std::chrono::milliseconds(3000);
    producer_ = *kafka::MakeProducer(popts);
    service_ = std::make_unique<IngestServiceImpl>(*config::TenantDirectory::FromYaml(kTenants),
                                                   *producer_, registry_);
    server::HostOptions hopts;
    hopts.service = "ingest";
    hopts.address = "127.0.0.1:0";
    host_ = std::make_unique<server::ServiceHost>(hopts, registry_);
    host_->AddService(service_.get());
    ASSERT_TRUE(host_->Start().ok());
    stub_ = v1::IngestService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(host_->port()), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { host_->Shutdown(std::chrono::milliseconds(100)); }

  grpc::Status Receive(const std::string& from, const std::string& to, const std::string& body,
                       v1::ReceiveMessageResponse* resp, const std::string& tenant = "") {
    grpc::ClientContext ctx;
    if (!tenant.empty()) ctx.AddMetadata(server::kTenantMetadataKey, tenant);
    v1::ReceiveMessageRequest req;
    req.set_from(from);
    req.set_to(to);
    req.set_body(body);
    req.set_provider("twilio");
    req.set_provider_message_id("SM123");
    return stub_->ReceiveMessage(&ctx, req, resp);
  }

  testing::DevKafka kafka_;
  prometheus::Registry registry_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<IngestServiceImpl> service_;
  std::unique_ptr<server::ServiceHost> host_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
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

TEST_F(IngestServiceTest, KafkaDownMeansUnavailableNotAcknowledged) {
  kafka_.Stop();
  v1::ReceiveMessageResponse resp;
  grpc::Status st = Receive("+14155550123", "+14155550100", "STOP", &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(resp.message_id().empty());
}

}  // namespace
}  // namespace smsflow::ingest
