#include "lib/metrics/metrics_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/counter.h>

#include "lib/testing/http.h"

namespace smsflow::metrics {
namespace {

TEST(MetricsServerTest, ServesRegisteredMetricsOnAnEphemeralPort) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto& family = prometheus::BuildCounter()
                     .Name("smsflow_test_things_total")
                     .Help("things")
                     .Register(*registry);
  family.Add({{"kind", "a"}}).Increment(3);
  auto server = MetricsServer::Start("127.0.0.1:0", registry);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_GT((*server)->port(), 0);
  const std::string body = testing::HttpGet((*server)->port(), "/metrics");
  EXPECT_THAT(body, ::testing::HasSubstr("smsflow_test_things_total{kind=\"a\"} 3"));
}

TEST(MetricsServerTest, BadAddressIsAnError) {
  auto server = MetricsServer::Start("256.1.1.1:99999", std::make_shared<prometheus::Registry>());
  EXPECT_FALSE(server.ok());
}

}  // namespace
}  // namespace smsflow::metrics
