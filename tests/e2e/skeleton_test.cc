// The walking skeleton end to end: the four service binaries start against
// devkafka and redis-server, serve health and /metrics, ingest publishes an
// inbound message, and each stops cleanly on SIGTERM.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "lib/kafka/topics.h"
#include "lib/server/health_client.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/http.h"
#include "lib/testing/redis_server.h"
#include "lib/testing/topic_reader.h"
#include "smsflow/v1/inbound.pb.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"
#include "tests/e2e/service_process.h"

namespace smsflow {
namespace {

using ::testing::HasSubstr;
using testing::WaitFor;

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100"}
)";

using e2e::Binary;
using e2e::RunningService;

class SkeletonTest : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(dir_.File("tenants.yaml")) << kTenants; }
  std::vector<std::string> CommonFlags() {
    return {"--kafka-brokers=" + kafka_.bootstrap(), "--tenants-file=" + dir_.File("tenants.yaml")};
  }
  std::vector<std::string> RedisFlags() {
    auto f = CommonFlags();
    f.push_back("--redis-address=127.0.0.1:" + std::to_string(redis_.port()));
    return f;
  }
  // Webhooks on a free port too (its default, 8101, may be taken).
  std::vector<std::string> IngestFlags() {
    auto f = RedisFlags();
    f.push_back("--webhook-address=127.0.0.1:0");
    return f;
  }
  testing::TempDir dir_;
  testing::DevKafka kafka_;
  testing::RedisServer redis_;
};

TEST_F(SkeletonTest, AllServicesServeHealthAndMetricsAndStopOnSigterm) {
  std::vector<std::unique_ptr<RunningService>> services;
  services.push_back(std::make_unique<RunningService>("ingest", dir_, IngestFlags()));
  services.push_back(std::make_unique<RunningService>("router", dir_, RedisFlags()));
  services.push_back(std::make_unique<RunningService>("consent", dir_, RedisFlags()));
  services.push_back(std::make_unique<RunningService>("sender", dir_, RedisFlags()));
  const char* names[] = {"ingest", "router", "consent", "sender"};
  for (size_t i = 0; i < services.size(); ++i) {
    auto& s = *services[i];
    EXPECT_TRUE(WaitFor([&] {
      return server::CheckHealth(s.target()) == server::HealthStatus::kServing;
    })) << names[i]
        << " log:\n"
        << testing::ReadFile(s.process->log_path());
    const std::string metrics = testing::HttpGet(s.metrics_port, "/metrics");
    EXPECT_THAT(metrics, HasSubstr(std::string("smsflow_") + names[i] + "_serving 1"));
    EXPECT_THAT(metrics, HasSubstr(std::string("smsflow_") + names[i] +
                                   "_dependency_up{dependency=\"kafka\"} 1"));
  }
  for (size_t i = 0; i < services.size(); ++i) {
    int status = services[i]->process->Stop(SIGTERM, std::chrono::seconds(20));
    ASSERT_TRUE(WIFEXITED(status)) << names[i] << " did not exit on SIGTERM";
    EXPECT_EQ(WEXITSTATUS(status), 0) << names[i];
    EXPECT_THAT(testing::ReadFile(services[i]->process->log_path()), HasSubstr("\"stopped\""));
  }
}

TEST_F(SkeletonTest, IngestPublishesAnInboundMessage) {
  RunningService ingest("ingest", dir_, IngestFlags());
  testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel(ingest.target(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::ReceiveMessageRequest req;
  req.set_from("+14155550123");
  req.set_to("+14155550100");
  req.set_body("BALANCE");
  v1::ReceiveMessageResponse resp;
  grpc::Status st = stub->ReceiveMessage(&ctx, req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message() << "\n"
                       << testing::ReadFile(ingest.process->log_path());
  auto messages = reader.WaitForCount(1);
  ASSERT_EQ(messages.size(), 1u);
  v1::InboundMessage msg;
  ASSERT_TRUE(msg.ParseFromString(messages[0].value));
  EXPECT_EQ(msg.message_id(), resp.message_id());
  EXPECT_EQ(msg.body(), "BALANCE");
  // Info-level logs never hold the full phone number.
  EXPECT_THAT(testing::ReadFile(ingest.process->log_path()),
              ::testing::Not(HasSubstr("4155550123")));
}

TEST_F(SkeletonTest, BadConfigurationStopsWithTheKeyNamed) {
  testing::Subprocess bad({Binary("ingest"), "--kafka-brokerz=x"}, dir_.File("bad1.log"));
  int status = bad.Wait(std::chrono::seconds(20));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(testing::ReadFile(dir_.File("bad1.log")), HasSubstr("kafka-brokerz"));

  std::ofstream(dir_.File("bad.yaml")) << "tenants:\n  - id: acme\n    colour: red\n";
  testing::Subprocess bad2({Binary("router"), "--tenants-file=" + dir_.File("bad.yaml")},
                           dir_.File("bad2.log"));
  status = bad2.Wait(std::chrono::seconds(20));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(testing::ReadFile(dir_.File("bad2.log")), HasSubstr("tenants[0].colour"));
}

}  // namespace
}  // namespace smsflow
