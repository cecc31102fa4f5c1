// Producer against a real devkafka process.

#include "lib/kafka/producer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include "lib/kafka/tests/test_util.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/wait.h"

namespace smsflow::kafka {
namespace {

using smsflow::testing::DevKafka;
using smsflow::testing::UniqueTopic;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Producer, SendAllThousandRecordsAllAcknowledged) {
  const std::string topic = UniqueTopic("producer.batch");
  DevKafka kafka(1, 4, {topic});
  auto producer = testing::TestProducer(kafka.bootstrap());
  ASSERT_NE(producer, nullptr);
  std::vector<Record> records;
  for (int i = 0; i < 1000; ++i) {
    records.push_back({topic, "key-" + std::to_string(i % 37), "value-" + std::to_string(i), {}});
  }
  const auto results = producer->SendAll(std::move(records));
  ASSERT_EQ(results.size(), 1000u);
  std::map<int32_t, std::set<int64_t>> offsets;
  std::map<std::string, int32_t> partition_of_key;
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok()) << i << ": " << results[i].status();
    EXPECT_GE(results[i]->partition, 0);
    EXPECT_LT(results[i]->partition, 4);
    EXPECT_TRUE(offsets[results[i]->partition].insert(results[i]->offset).second);
    // One key, one partition: the order of a conversation survives.
    auto [it, inserted] =
        partition_of_key.emplace("key-" + std::to_string(i % 37), results[i]->partition);
    EXPECT_EQ(it->second, results[i]->partition);
  }
  EXPECT_GT(offsets.size(), 1u) << "37 keys should spread over partitions";
  EXPECT_TRUE(producer->Flush(seconds(5)).ok());
}

TEST(Producer, SendCallsDoneExactlyOnceOnTheDeliveryThread) {
  const std::string topic = UniqueTopic("producer.async");
  DevKafka kafka(1, 1, {topic});
  auto producer = testing::TestProducer(kafka.bootstrap());
  std::atomic<int> calls{0};
  std::atomic<bool> other_thread{true};
  const auto test_thread = std::this_thread::get_id();
  for (int i = 0; i < 10; ++i) {
    producer->Send({topic, "k", "v", {{"h", "x"}}}, [&](absl::StatusOr<Delivered> result) {
      EXPECT_TRUE(result.ok()) << result.status();
      if (std::this_thread::get_id() == test_thread) other_thread = false;
      ++calls;
    });
  }
  ASSERT_TRUE(producer->Flush(seconds(10)).ok());
  EXPECT_EQ(calls, 10);
  EXPECT_TRUE(other_thread);
}

TEST(Producer, TooLargeRecordIsInvalidArgument) {
  const std::string topic = UniqueTopic("producer.large");
  DevKafka kafka(1, 1, {topic});
  auto producer = testing::TestProducer(kafka.bootstrap());
  const auto result = producer->SendSync({topic, "k", std::string(2 << 20, 'x'), {}});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(result.status())) << result.status();
}

TEST(Producer, SendToStoppedKafkaFailsUnavailableWithinDeliveryTimeout) {
  const std::string topic = UniqueTopic("producer.down");
  DevKafka kafka(1, 1, {topic});
  auto producer = testing::TestProducer(kafka.bootstrap(), milliseconds(2000));
  ASSERT_TRUE(producer->SendSync({topic, "k", "before", {}}).ok());
  kafka.Stop();
  const auto start = std::chrono::steady_clock::now();
  std::vector<Record> records;
  for (int i = 0; i < 20; ++i) records.push_back({topic, "k", "after-" + std::to_string(i), {}});
  const auto results = producer->SendAll(std::move(records));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  for (const auto& result : results) {
    ASSERT_FALSE(result.ok()) << "reported success with Kafka down at offset " << result->offset;
    EXPECT_TRUE(absl::IsUnavailable(result.status())) << result.status();
  }
  EXPECT_LT(elapsed, seconds(5)) << "delivery timeout is 2 s (+ up to 1 s reconnect backoff)";
}

TEST(Producer, PingOkWhenUpErrorWhenStopped) {
  DevKafka kafka;
  auto producer = testing::TestProducer(kafka.bootstrap());
  EXPECT_TRUE(producer->Ping(seconds(5)).ok());
  kafka.Stop();
  const absl::Status down = producer->Ping(seconds(1));
  EXPECT_FALSE(down.ok());
  EXPECT_TRUE(absl::IsUnavailable(down)) << down;
}

TEST(Producer, RejectsBadOptions) {
  ProducerOptions options;
  EXPECT_TRUE(absl::IsInvalidArgument(MakeProducer(options).status()));
  options.brokers = "127.0.0.1:1";
  options.extra = {{"no.such.property", "1"}};
  EXPECT_TRUE(absl::IsInvalidArgument(MakeProducer(options).status()));
  options.extra = {{"enable.idempotence", "false"}};
  EXPECT_TRUE(absl::IsInvalidArgument(MakeProducer(options).status()));
}

}  // namespace
}  // namespace smsflow::kafka
