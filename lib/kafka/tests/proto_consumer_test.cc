// Poison records: an undecodable value goes to <topic>.dlq with its reason and
// the consumer moves on.

#include <google/protobuf/wrappers.pb.h>
#include <gtest/gtest.h>

#include "lib/kafka/consumer.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/tests/test_util.h"
#include "lib/kafka/topics.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/wait.h"

namespace smsflow::kafka {
namespace {

using google::protobuf::StringValue;
using smsflow::testing::DevKafka;
using smsflow::testing::UniqueTopic;
using smsflow::testing::WaitFor;
using std::chrono::seconds;

Record Typed(const std::string& topic, std::string value) {
  return {topic,
          "tenant|+15550001111",
          std::move(value),
          {{std::string(kTypeHeader), "google.protobuf.StringValue"}}};
}

std::string Encode(const std::string& text) {
  StringValue value;
  value.set_value(text);
  return value.SerializeAsString();
}

TEST(ProtoConsumer, PoisonRecordGoesToDlqAndConsumerMovesOn) {
  const std::string topic = UniqueTopic("proto.poison");
  DevKafka kafka(1, 1, {topic, topics::Dlq(topic)});
  auto producer = testing::TestProducer(kafka.bootstrap());
  const std::string poison(12, '\xff');
  for (const auto& result : producer->SendAll(
           {Typed(topic, Encode("one")), Typed(topic, poison), Typed(topic, Encode("three"))})) {
    ASSERT_TRUE(result.ok()) << result.status();
  }

  std::mutex mu;
  std::vector<std::string> decoded;
  auto options = testing::FastConsumerOptions(kafka.bootstrap(), UniqueTopic("group"), {topic});
  Consumer consumer(options,
                    ProtoBatchHandler<StringValue>([&](const ProtoBatch<StringValue>& batch) {
                      std::lock_guard<std::mutex> lock(mu);
                      for (const auto& [message, value] : batch) decoded.push_back(value.value());
                      return std::vector<Disposition>(batch.size());
                    }),
                    producer.get());
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return consumer.Stats().done + consumer.Stats().dead_lettered >= 3; },
                      seconds(30)));
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(decoded, (std::vector<std::string>{"one", "three"}));
  }
  EXPECT_EQ(consumer.Stats().dead_lettered, 1u);

  testing::Seen dlq;
  Consumer dlq_reader(
      testing::FastConsumerOptions(kafka.bootstrap(), UniqueTopic("dlq"), {topics::Dlq(topic)}),
      testing::RecordAll(&dlq), producer.get());
  ASSERT_TRUE(dlq_reader.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return dlq.Size() >= 1; }, seconds(30)));
  const Message parked = dlq.Messages().front();
  EXPECT_EQ(parked.value, poison);
  EXPECT_EQ(parked.key, "tenant|+15550001111");
  ASSERT_NE(parked.Header(kDlqReasonHeader), nullptr);
  EXPECT_EQ(*parked.Header(kDlqReasonHeader), "decode: google.protobuf.StringValue parse failed");
  ASSERT_NE(parked.Header(kDlqSourceTopicHeader), nullptr);
  EXPECT_EQ(*parked.Header(kDlqSourceTopicHeader), topic);
  EXPECT_EQ(*parked.Header(kDlqSourcePartitionHeader), "0");
  EXPECT_EQ(*parked.Header(kDlqSourceOffsetHeader), "1");
  ASSERT_NE(parked.Header(kTypeHeader), nullptr);
  EXPECT_EQ(*parked.Header(kTypeHeader), "google.protobuf.StringValue");
}

}  // namespace
}  // namespace smsflow::kafka
