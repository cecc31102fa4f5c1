// Consumer against a real devkafka process: commits, restarts and retries.

#include "lib/kafka/consumer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>

#include "lib/kafka/tests/test_util.h"
#include "lib/kafka/topics.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/wait.h"

namespace smsflow::kafka {
namespace {

using smsflow::testing::DevKafka;
using smsflow::testing::UniqueTopic;
using smsflow::testing::WaitFor;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FastConsumerOptions;
using testing::ProduceValues;
using testing::RecordAll;
using testing::Seen;

std::vector<std::string> Numbers(int from, int to) {
  std::vector<std::string> values;
  for (int i = from; i < to; ++i) values.push_back(std::to_string(i));
  return values;
}

TEST(Consumer, ConsumesEveryRecordInPartitionOrderAndCommits) {
  const std::string topic = UniqueTopic("consumer.basic");
  DevKafka kafka(1, 4, {topic, topics::Dlq(topic)});
  auto producer = testing::TestProducer(kafka.bootstrap());
  std::vector<Record> records;
  for (int i = 0; i < 200; ++i)
    records.push_back({topic, "k" + std::to_string(i % 13), std::to_string(i), {}});
  for (const auto& result : producer->SendAll(std::move(records))) ASSERT_TRUE(result.ok());

  Seen seen;
  std::atomic<int> assigned{0};
  auto options = FastConsumerOptions(kafka.bootstrap(), UniqueTopic("group"), {topic});
  options.max_batch = 32;
  options.on_assigned = [&](const TopicPartitions& partitions) { assigned += partitions.size(); };
  Consumer consumer(options, RecordAll(&seen), producer.get());
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return seen.Size() >= 200; }, seconds(30))) << seen.Size();
  EXPECT_TRUE(WaitFor([&] { return consumer.Stats().commits >= 1; }, seconds(10)));
  EXPECT_TRUE(consumer.Healthy());
  EXPECT_EQ(assigned, 4);

  std::map<int32_t, int64_t> last_offset;
  std::set<std::string> values;
  for (const auto& message : seen.Messages()) {
    EXPECT_EQ(message.topic, topic);
    EXPECT_GT(message.offset,
              last_offset.contains(message.partition) ? last_offset[message.partition] : -1);
    last_offset[message.partition] = message.offset;
    values.insert(message.value);
    EXPECT_GT(message.timestamp_ms, 0);
  }
  EXPECT_EQ(values.size(), 200u);
  consumer.Stop();
  EXPECT_FALSE(consumer.Healthy());
  EXPECT_EQ(consumer.Stats().handled, 200u);
  EXPECT_EQ(consumer.Stats().done, 200u);
}

// A consumer that leaves commits what it did; its successor in the group
// starts right after that: no committed record again, every uncommitted one.
TEST(Consumer, RestartResumesAfterLastCommit) {
  const std::string topic = UniqueTopic("consumer.restart");
  DevKafka kafka(1, 1, {topic, topics::Dlq(topic)});
  auto producer = testing::TestProducer(kafka.bootstrap());
  ProduceValues(*producer, topic, Numbers(0, 10));
  const std::string group = UniqueTopic("group");

  {  // First life: 0..4 done, 5 (and so everything after it) left for later.
    Seen seen;
    auto options = FastConsumerOptions(kafka.bootstrap(), group, {topic});
    options.retry_backoff = seconds(60);
    Consumer first(
        options,
        [&](const std::vector<Message>& batch) {
          std::vector<Disposition> out;
          for (const auto& message : batch) {
            seen.Add(message);
            out.push_back(std::stoi(message.value) < 5 ? Disposition{}
                                                       : Disposition{Outcome::kRetry, "not yet"});
          }
          return out;
        },
        producer.get());
    ASSERT_TRUE(first.Start().ok());
    ASSERT_TRUE(WaitFor([&] { return first.Stats().retried >= 1; }, seconds(30)));
    EXPECT_EQ(first.Stats().done, 5u);
    first.Stop();
  }

  Seen second_seen;
  {  // Second life: starts at 5.
    Consumer second(FastConsumerOptions(kafka.bootstrap(), group, {topic}), RecordAll(&second_seen),
                    producer.get());
    ASSERT_TRUE(second.Start().ok());
    ASSERT_TRUE(WaitFor([&] { return second_seen.Contains("9"); }, seconds(30)));
    EXPECT_EQ(second_seen.Values(), Numbers(5, 10));
    ProduceValues(*producer, topic, {"10", "11"});
    ASSERT_TRUE(WaitFor([&] { return second_seen.Contains("11"); }, seconds(30)));
  }

  // Third life: everything so far was committed on Stop; only the new record comes.
  ProduceValues(*producer, topic, {"sentinel"});
  Seen third_seen;
  Consumer third(FastConsumerOptions(kafka.bootstrap(), group, {topic}), RecordAll(&third_seen),
                 producer.get());
  ASSERT_TRUE(third.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return third_seen.Contains("sentinel"); }, seconds(30)));
  EXPECT_EQ(third_seen.Values(), std::vector<std::string>{"sentinel"});
}

TEST(Consumer, RetryRedeliversAfterBackoffAndKeepsPartitionOrder) {
  const std::string topic = UniqueTopic("consumer.retry");
  DevKafka kafka(1, 1, {topic, topics::Dlq(topic)});
  auto producer = testing::TestProducer(kafka.bootstrap());
  ProduceValues(*producer, topic, {"a", "b", "c"});

  Seen seen;
  std::vector<std::chrono::steady_clock::time_point> b_times;  // consumer thread only until Stop
  std::atomic<bool> b_failed_once{false};
  auto options = FastConsumerOptions(kafka.bootstrap(), UniqueTopic("group"), {topic});
  options.retry_backoff = milliseconds(300);
  Consumer consumer(
      options,
      [&](const std::vector<Message>& batch) {
        std::vector<Disposition> out(batch.size());
        for (size_t i = 0; i < batch.size(); ++i) {
          seen.Add(batch[i]);
          if (batch[i].value != "b") continue;
          b_times.push_back(std::chrono::steady_clock::now());
          if (!b_failed_once.exchange(true)) out[i] = {Outcome::kRetry, "transient"};
        }
        return out;
      },
      producer.get());
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor(
      [&] {
        auto values = seen.Values();
        return values.size() >= 2 && values.back() == "c" && b_failed_once &&
               std::count(values.begin(), values.end(), "b") == 2;
      },
      seconds(30)));
  consumer.Stop();
  const auto values = seen.Values();
  // "c" may have been in b's first batch (its result then ignored), but after
  // the retry the partition restarts exactly at "b".
  ASSERT_GE(values.size(), 4u);
  EXPECT_EQ(values[0], "a");
  EXPECT_EQ(values[1], "b");
  EXPECT_EQ(std::vector<std::string>(values.end() - 2, values.end()),
            (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(std::count(values.begin(), values.end(), "a"), 1);
  ASSERT_EQ(b_times.size(), 2u);
  EXPECT_GE(b_times[1] - b_times[0], milliseconds(250));
  EXPECT_EQ(consumer.Stats().retried, 1u);

  // All three committed: a fresh member of the group sees only what comes next.
  ProduceValues(*producer, topic, {"sentinel"});
  Seen after;
  Consumer again(FastConsumerOptions(kafka.bootstrap(), options.group_id, {topic}),
                 RecordAll(&after), producer.get());
  ASSERT_TRUE(again.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return after.Contains("sentinel"); }, seconds(30)));
  EXPECT_EQ(after.Values(), std::vector<std::string>{"sentinel"});
}

// A partition stuck on a retry does not hold up the others.
TEST(Consumer, RetryOnOnePartitionLetsOthersProceed) {
  const std::string topic = UniqueTopic("consumer.lanes");
  DevKafka kafka(1, 2, {topic, topics::Dlq(topic)});
  auto producer = testing::TestProducer(kafka.bootstrap());
  ProduceValues(*producer, topic, {"stuck"}, 0);
  ProduceValues(*producer, topic, Numbers(0, 20), 1);

  Seen seen;
  std::atomic<bool> release{false};
  auto options = FastConsumerOptions(kafka.bootstrap(), UniqueTopic("group"), {topic});
  options.retry_backoff = milliseconds(100);
  Consumer consumer(
      options,
      [&](const std::vector<Message>& batch) {
        std::vector<Disposition> out(batch.size());
        for (size_t i = 0; i < batch.size(); ++i) {
          seen.Add(batch[i]);
          if (batch[i].value == "stuck" && !release) out[i] = {Outcome::kRetry, "blocked"};
        }
        return out;
      },
      producer.get());
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(
      WaitFor([&] { return seen.Contains("19") && consumer.Stats().retried >= 2; }, seconds(30)));
  const auto handled_before = consumer.Stats().done;
  EXPECT_GE(handled_before, 20u);
  release = true;
  ASSERT_TRUE(WaitFor([&] { return consumer.Stats().done >= handled_before + 1; }, seconds(10)));
}

TEST(Consumer, RejectsMisconfiguration) {
  auto producer = testing::TestProducer("127.0.0.1:1");
  ConsumerOptions options = FastConsumerOptions("127.0.0.1:1", "g", {"t"});
  EXPECT_THROW(Consumer(options, RecordAll(nullptr), nullptr), std::invalid_argument);
  options.group_id.clear();
  EXPECT_THROW(Consumer(options, RecordAll(nullptr), producer.get()), std::invalid_argument);
  options.group_id = "g";
  options.extra["enable.auto.commit"] = "true";
  Consumer consumer(options, RecordAll(nullptr), producer.get());
  EXPECT_TRUE(absl::IsInvalidArgument(consumer.Start()));
}

}  // namespace
}  // namespace smsflow::kafka
