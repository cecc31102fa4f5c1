#include "lib/server/service_host.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <fstream>

#include "lib/server/health_client.h"
#include "lib/testing/wait.h"

namespace smsflow::server {
namespace {

using server::CheckHealth;
using server::HealthStatus;
using testing::WaitFor;

TEST(ServiceHostTest, HealthFollowsDependencyChecksAndShutdown) {
  prometheus::Registry registry;
  HostOptions opts;
  opts.service = "test";
  opts.address = "127.0.0.1:0";
  opts.health_interval = std::chrono::milliseconds(20);
  ServiceHost host(opts, registry);
  std::atomic<bool> kafka_up{true};
  host.AddHealthCheck(
      "kafka", [&] { return kafka_up.load() ? absl::OkStatus() : absl::UnavailableError("down"); });
  ASSERT_TRUE(host.Start().ok());
  ASSERT_GT(host.port(), 0);
  const std::string target = "127.0.0.1:" + std::to_string(host.port());
  EXPECT_EQ(CheckHealth(target), HealthStatus::kServing);

  kafka_up = false;
  EXPECT_TRUE(WaitFor([&] { return CheckHealth(target) == HealthStatus::kNotServing; }));
  kafka_up = true;
  EXPECT_TRUE(WaitFor([&] { return CheckHealth(target) == HealthStatus::kServing; }));

  host.SetNotServing();
  EXPECT_EQ(CheckHealth(target), HealthStatus::kNotServing);
  // A passing dependency check must not flip a draining host back to SERVING.
  EXPECT_FALSE(WaitFor([&] { return CheckHealth(target) == HealthStatus::kServing; },
                       std::chrono::milliseconds(200)));
  host.Shutdown(std::chrono::milliseconds(500));
  EXPECT_EQ(CheckHealth(target, std::chrono::milliseconds(300)), HealthStatus::kUnreachable);
}

TEST(ServiceHostTest, UnbindableAddressIsAnError) {
  prometheus::Registry registry;
  HostOptions opts;
  opts.service = "test2";
  opts.address = "203.0.113.1:1";  // not an address of this machine
  ServiceHost host(opts, registry);
  EXPECT_EQ(host.Start().code(), absl::StatusCode::kUnavailable);
}

TEST(ReadyFileTest, WritesPortsAsJson) {
  const std::string path = ::testing::TempDir() + "/ready.json";
  ASSERT_TRUE(WriteReadyFile(path, 1234, 5678).ok());
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(s, "{\"grpc_port\":1234,\"metrics_port\":5678}\n");
}

}  // namespace
}  // namespace smsflow::server
