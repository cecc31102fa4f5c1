// Watermarks / EndOffsets against a real devkafka process.

#include "lib/kafka/watermarks.h"

#include <gtest/gtest.h>

#include "lib/kafka/tests/test_util.h"
#include "lib/testing/devkafka.h"

namespace smsflow::kafka {
namespace {

using smsflow::testing::DevKafka;
using smsflow::testing::UniqueTopic;
using std::chrono::seconds;

TEST(Watermarks, EmptyTopicEndsAtZeroOnEveryPartition) {
  const std::string topic = UniqueTopic("watermarks.empty");
  DevKafka kafka(1, 3, {topic});
  auto marks = Watermarks(kafka.bootstrap(), topic, seconds(10));
  ASSERT_TRUE(marks.ok()) << marks.status();
  ASSERT_EQ(marks->size(), 3u);
  for (const auto& [p, w] : *marks) {
    EXPECT_EQ(w.low, 0) << p;
    EXPECT_EQ(w.high, 0) << p;
    EXPECT_TRUE(w.Empty());
  }
}

TEST(Watermarks, EndOffsetsCountWhatWasAcknowledgedPerPartition) {
  const std::string topic = UniqueTopic("watermarks.filled");
  DevKafka kafka(1, 3, {topic});
  auto producer = testing::TestProducer(kafka.bootstrap());
  ASSERT_NE(producer, nullptr);
  testing::ProduceValues(*producer, topic, {"a", "b", "c"}, 0);
  testing::ProduceValues(*producer, topic, {"d"}, 2);
  auto ends = EndOffsets(kafka.bootstrap(), topic, seconds(10));
  ASSERT_TRUE(ends.ok()) << ends.status();
  EXPECT_EQ(*ends, (std::map<int32_t, int64_t>{{0, 3}, {1, 0}, {2, 1}}));
  auto marks = Watermarks(kafka.bootstrap(), topic, seconds(10));
  ASSERT_TRUE(marks.ok());
  EXPECT_FALSE(marks->at(0).Empty());
  EXPECT_TRUE(marks->at(1).Empty());
}

TEST(Watermarks, UnknownTopicIsNotFoundAndNotCreated) {
  DevKafka kafka(1, 1);
  const std::string topic = UniqueTopic("watermarks.missing");
  auto marks = Watermarks(kafka.bootstrap(), topic, seconds(10));
  EXPECT_EQ(marks.status().code(), absl::StatusCode::kNotFound) << marks.status();
  EXPECT_NE(std::string(marks.status().message()).find(topic), std::string::npos);
  // Asking twice still finds nothing: the first call did not create it.
  EXPECT_EQ(EndOffsets(kafka.bootstrap(), topic, seconds(10)).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(Watermarks, BrokersDownIsUnavailable) {
  const std::string topic = UniqueTopic("watermarks.down");
  DevKafka kafka(1, 1, {topic});
  kafka.TakeBrokersDown();
  auto marks = Watermarks(kafka.bootstrap(), topic, seconds(2));
  EXPECT_EQ(marks.status().code(), absl::StatusCode::kUnavailable) << marks.status();
  kafka.BringBrokersUp();
  EXPECT_TRUE(Watermarks(kafka.bootstrap(), topic, seconds(10)).ok());
}

TEST(Watermarks, MissingArgumentsNameTheField) {
  EXPECT_EQ(Watermarks("", "t", seconds(1)).status().message(), "brokers: required");
  EXPECT_EQ(Watermarks("127.0.0.1:1", "", seconds(1)).status().message(), "topic: required");
}

}  // namespace
}  // namespace smsflow::kafka
