// The real smsflow-ingest binary with its webhook listener: a Twilio-style
// signed form post is answered with empty TwiML and lands on sms.inbound.v1;
// SIGTERM stops the webhooks before the producer is flushed.
//
// Both listeners bind port 0. The gRPC and metrics ports come from the ready
// file; the webhook port from the "webhook listening" log line, which the
// binary writes before the ready file (webhooks start in a runtime start step,
// after gRPC and before the ready file).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lib/kafka/topics.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/redis_server.h"
#include "lib/testing/subprocess.h"
#include "lib/testing/topic_reader.h"
#include "lib/testing/wait.h"
#include "services/ingest/webhook/tests/openssl_signature.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest {
namespace {

using ::testing::HasSubstr;

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    webhook_auth_token: e2e-token
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
)";
// What the provider is configured with; the listener itself is on a free
// loopback port, as behind an ingress.
constexpr char kPublicUrl[] = "https://sms.example.test";
constexpr char kSmsPath[] = "/v1/webhooks/twilio/acme/sms";

// The port in the first "webhook listening" log line, or 0.
int WebhookPortFromLog(const std::string& log) {
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.value("msg", "") == "webhook listening") return j.value("port", 0);
  }
  return 0;
}

// Form-encodes (everything but unreserved characters escaped).
std::string Encode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += httplib::detail::encode_query_param(k) + "=" + httplib::detail::encode_query_param(v);
  }
  return out;
}

TEST(IngestWebhookE2eTest, SignedWebhookLandsOnInboundTopic) {
  testing::TempDir dir;
  testing::DevKafka kafka;
  testing::RedisServer redis;
  std::ofstream(dir.File("tenants.yaml")) << kTenants;
  const std::string ready = dir.File("ingest.ready");
  testing::Subprocess ingest(
      {SMSFLOW_INGEST_BINARY, "--grpc-address=127.0.0.1:0", "--metrics-address=127.0.0.1:0",
       "--ready-file=" + ready, "--shutdown-grace-ms=2000", "--kafka-brokers=" + kafka.bootstrap(),
       "--tenants-file=" + dir.File("tenants.yaml"),
       "--redis-address=127.0.0.1:" + std::to_string(redis.port()), "--webhook-address=127.0.0.1:0",
       std::string("--webhook-public-url=") + kPublicUrl},
      dir.File("ingest.log"));
  ASSERT_TRUE(testing::WaitFor([&] {
    return !testing::ReadFile(ready).empty() || !ingest.Running();
  })) << testing::ReadFile(ingest.log_path());
  ASSERT_TRUE(ingest.Running()) << testing::ReadFile(ingest.log_path());
  const int port = WebhookPortFromLog(testing::ReadFile(ingest.log_path()));
  ASSERT_GT(port, 0) << testing::ReadFile(ingest.log_path());

  testing::TopicReader reader(kafka.bootstrap(), {std::string(kafka::topics::kInbound)});
  std::vector<std::pair<std::string, std::string>> params = {
      {"MessageSid", "SMe2e0000000000000000000000000001"},
      {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
      {"From", "+14155550123"},
      {"To", "+14155550100"},
      {"Body", "Open on Saturday?"},
      {"NumMedia", "0"}};
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(20, 0);
  auto res = client.Post(
      kSmsPath,
      {{"X-Twilio-Signature", webhook::testing::OpensslTwilioSignature(
                                  "e2e-token", std::string(kPublicUrl) + kSmsPath, params)}},
      Encode(params), "application/x-www-form-urlencoded");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200) << res->body << "\n" << testing::ReadFile(ingest.log_path());
  EXPECT_EQ(res->body, R"(<?xml version="1.0" encoding="UTF-8"?><Response></Response>)");

  auto messages = reader.WaitForCount(1);
  ASSERT_EQ(messages.size(), 1u);
  v1::InboundMessage msg;
  ASSERT_TRUE(msg.ParseFromString(messages[0].value));
  EXPECT_EQ(msg.tenant_id(), "acme");
  EXPECT_EQ(msg.source(), v1::INBOUND_SOURCE_WEBHOOK);
  EXPECT_EQ(msg.provider(), "twilio");
  EXPECT_EQ(msg.provider_message_id(), "SMe2e0000000000000000000000000001");
  EXPECT_EQ(msg.body(), "Open on Saturday?");

  const int status = ingest.Stop(SIGTERM, std::chrono::seconds(20));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string log = testing::ReadFile(ingest.log_path());
  EXPECT_THAT(log, HasSubstr("\"webhook stopped\""));
  // Info-level logs never hold the full phone number or the body.
  EXPECT_THAT(log, ::testing::Not(HasSubstr("4155550123")));
  EXPECT_THAT(log, ::testing::Not(HasSubstr("Open on Saturday")));
}

TEST(IngestWebhookE2eTest, WebhookFlagsAreValidatedAtStart) {
  testing::TempDir dir;
  std::ofstream(dir.File("tenants.yaml")) << kTenants;
  struct Case {
    std::vector<std::string> flags;
    const char* expected;
  };
  for (const Case& c : {Case{{"--webhook-public-url", ""}, "webhook-public-url"},
                        Case{{"--webhook-public-url=sms.example.com"},
                             "webhook-public-url: 'sms.example.com' must start with https://"},
                        Case{{"--webhook-address=nope"}, "webhook-address: 'nope'"},
                        Case{{"--webhook-max-body-bytes=0"}, "webhook-max-body-bytes"}}) {
    std::vector<std::string> argv = {SMSFLOW_INGEST_BINARY,
                                     "--tenants-file=" + dir.File("tenants.yaml")};
    argv.insert(argv.end(), c.flags.begin(), c.flags.end());
    const std::string log = dir.File("bad.log");
    std::remove(log.c_str());  // a fresh log per case
    testing::Subprocess bad(argv, log);
    const int status = bad.Wait(std::chrono::seconds(20));
    ASSERT_TRUE(WIFEXITED(status)) << c.expected;
    EXPECT_EQ(WEXITSTATUS(status), 2) << c.expected;
    EXPECT_THAT(testing::ReadFile(log), HasSubstr(c.expected));
  }
}

}  // namespace
}  // namespace smsflow::ingest
