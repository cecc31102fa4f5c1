#include "lib/config/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smsflow::config {
namespace {

using ::testing::HasSubstr;

struct Fixture {
  ServerConfig server;
  KafkaConfig kafka;
  RedisConfig redis;
  std::string tenants;
  int batch = 100;
  ConfigLoader loader{"ingest"};
  Fixture() {
    loader.AddServer(&server, 7101, 9101);
    loader.AddKafka(&kafka);
    loader.AddRedis(&redis);
    loader.AddTenantsFile(&tenants, false);
    loader.AddInt("max-batch", &batch, "largest batch");
    loader.SetEnvironmentForTesting({"PATH=/bin", "HOME=/root"});
  }
};

TEST(ConfigLoaderTest, DefaultsApplyWithoutFlags) {
  Fixture f;
  ASSERT_TRUE(f.loader.Parse(std::vector<std::string>{}).ok());
  EXPECT_EQ(f.server.grpc_address, "0.0.0.0:7101");
  EXPECT_EQ(f.server.metrics_address, "0.0.0.0:9101");
  EXPECT_EQ(f.kafka.consumer_group, "smsflow-ingest");
  EXPECT_EQ(f.batch, 100);
}

TEST(ConfigLoaderTest, FlagsAndEnvironmentFillValuesFlagWins) {
  Fixture f;
  f.loader.SetEnvironmentForTesting(
      {"SMSFLOW_KAFKA_BROKERS=k1:9092", "SMSFLOW_MAX_BATCH=7", "SMSFLOW_GRPC_ADDRESS=127.0.0.1:1"});
  ASSERT_TRUE(f.loader
                  .Parse(std::vector<std::string>{"--grpc-address=127.0.0.1:0",
                                                  "--shutdown-grace-ms", "2500"})
                  .ok());
  EXPECT_EQ(f.kafka.brokers, "k1:9092");
  EXPECT_EQ(f.batch, 7);
  EXPECT_EQ(f.server.grpc_address, "127.0.0.1:0");
  EXPECT_EQ(f.server.shutdown_grace, std::chrono::milliseconds(2500));
}

TEST(ConfigLoaderTest, UnknownFlagIsNamed) {
  Fixture f;
  auto st = f.loader.Parse(std::vector<std::string>{"--kafka-brokerz=x"});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("kafka-brokerz"));
}

TEST(ConfigLoaderTest, UnknownEnvironmentVariableIsNamed) {
  Fixture f;
  f.loader.SetEnvironmentForTesting({"SMSFLOW_KAFKA_BROKER=x"});
  auto st = f.loader.Parse(std::vector<std::string>{});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("SMSFLOW_KAFKA_BROKER"));
}

TEST(ConfigLoaderTest, BadValueFromEnvironmentNamesTheVariable) {
  Fixture f;
  f.loader.SetEnvironmentForTesting({"SMSFLOW_MAX_BATCH=lots"});
  auto st = f.loader.Parse(std::vector<std::string>{});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("SMSFLOW_MAX_BATCH"));
}

TEST(ConfigLoaderTest, MissingRequiredValueIsNamed) {
  ConfigLoader loader("router");
  std::string path;
  loader.AddTenantsFile(&path, true);
  loader.SetEnvironmentForTesting({});
  auto st = loader.Parse(std::vector<std::string>{});
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("tenants-file"));
}

TEST(ConfigLoaderTest, HelpIsReturnedNotAnError) {
  Fixture f;
  std::string help;
  ASSERT_TRUE(f.loader.Parse(std::vector<std::string>{"--help"}, &help).ok());
  EXPECT_THAT(help, HasSubstr("--kafka-brokers"));
}

TEST(ConfigLoaderTest, EnvNameDerivesFromFlag) {
  EXPECT_EQ(ConfigLoader::EnvName("redis-pool-size"), "SMSFLOW_REDIS_POOL_SIZE");
}

}  // namespace
}  // namespace smsflow::config
