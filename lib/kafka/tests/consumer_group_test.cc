// Consumer against a real devkafka process: rebalances between members and a
// dead-letter topic that is (for a while) unavailable.

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "lib/kafka/consumer.h"
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
using testing::RecordAll;
using testing::Seen;

std::vector<Record> Keyed(const std::string& topic, int from, int to) {
  std::vector<Record> records;
  for (int i = from; i < to; ++i)
    records.push_back({topic, "k" + std::to_string(i), std::to_string(i), {}});
  return records;
}

// When a second member joins, the first commits what it did before giving
// partitions up: nothing it finished is handled again by the newcomer.
TEST(ConsumerGroup, RevokeCommitsSoNewMemberDoesNotRepeatFinishedWork) {
  const std::string topic = UniqueTopic("group.rebalance");
  DevKafka kafka(1, 4, {topic, topics::Dlq(topic)});
  auto producer = testing::TestProducer(kafka.bootstrap());
  for (const auto& result : producer->SendAll(Keyed(topic, 0, 100))) ASSERT_TRUE(result.ok());
  const std::string group = UniqueTopic("group");

  Seen seen_a, seen_b;
  std::atomic<int> revoked_a{0};
  auto options_a = FastConsumerOptions(kafka.bootstrap(), group, {topic});
  options_a.on_revoked = [&](const TopicPartitions& partitions) { revoked_a += partitions.size(); };
  Consumer a(options_a, RecordAll(&seen_a), producer.get());
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return seen_a.Size() >= 100; }, seconds(30)));

  std::atomic<int> assigned_b{0};
  auto options_b = FastConsumerOptions(kafka.bootstrap(), group, {topic});
  options_b.on_assigned = [&](const TopicPartitions& partitions) {
    assigned_b += partitions.size();
  };
  Consumer b(options_b, RecordAll(&seen_b), producer.get());
  ASSERT_TRUE(b.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return assigned_b > 0; }, seconds(30)));
  EXPECT_GE(revoked_a, 4);  // eager rebalance: A gave everything back first

  for (const auto& result : producer->SendAll(Keyed(topic, 100, 200))) ASSERT_TRUE(result.ok());
  std::map<std::string, int> count;
  ASSERT_TRUE(WaitFor(
      [&] {
        count.clear();
        for (const auto& v : seen_a.Values()) ++count[v];
        for (const auto& v : seen_b.Values()) ++count[v];
        return count.size() >= 200;
      },
      seconds(30)));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(count[std::to_string(i)], 1) << i;
  EXPECT_GT(seen_b.Size(), 0u);
  EXPECT_TRUE(a.Healthy());
  EXPECT_TRUE(b.Healthy());
}

// Passes sends through to a real producer, except that the first `failures`
// fail the way a producer does when Kafka is away.
class FlakyProducer : public Producer {
 public:
  FlakyProducer(Producer* real, int failures) : real_(real), failures_(failures) {}
  void Send(Record record, DoneCallback done) override {
    if (failures_-- > 0) {
      done(absl::UnavailableError("injected: broker down"));
      return;
    }
    real_->Send(std::move(record), std::move(done));
  }
  absl::Status Flush(std::chrono::milliseconds timeout) override { return real_->Flush(timeout); }
  absl::Status Ping(std::chrono::milliseconds timeout) override { return real_->Ping(timeout); }

 private:
  Producer* real_;
  std::atomic<int> failures_;
};

// A record is committed past only once the dead-letter topic acknowledged it;
// a failed dead-letter send is retried like kRetry, holding its partition.
TEST(ConsumerGroup, FailedDeadLetterSendIsRetriedBeforeMovingOn) {
  const std::string topic = UniqueTopic("group.dlqfail");
  DevKafka kafka(1, 1, {topic, topics::Dlq(topic)});
  auto producer = testing::TestProducer(kafka.bootstrap());
  testing::ProduceValues(*producer, topic, {"bad", "good"});
  FlakyProducer dlq(producer.get(), 2);

  Seen seen;
  auto options = FastConsumerOptions(kafka.bootstrap(), UniqueTopic("group"), {topic});
  options.retry_backoff = milliseconds(100);
  Consumer consumer(
      options,
      [&](const std::vector<Message>& batch) {
        std::vector<Disposition> out(batch.size());
        for (size_t i = 0; i < batch.size(); ++i) {
          seen.Add(batch[i]);
          if (batch[i].value == "bad") out[i] = {Outcome::kDeadLetter, "validation: bad"};
        }
        return out;
      },
      &dlq);
  ASSERT_TRUE(consumer.Start().ok());
  ASSERT_TRUE(WaitFor(
      [&] {
        return consumer.Stats().dead_lettered == 1 && !seen.Values().empty() &&
               seen.Values().back() == "good";
      },
      seconds(30)));
  const auto values = seen.Values();
  EXPECT_EQ(std::count(values.begin(), values.end(), "bad"), 3);  // two failed sends, then acked
  EXPECT_EQ(consumer.Stats().retried, 2u);

  Seen parked;
  Consumer reader(FastConsumerOptions(kafka.bootstrap(), UniqueTopic("dlq"), {topics::Dlq(topic)}),
                  RecordAll(&parked), producer.get());
  ASSERT_TRUE(reader.Start().ok());
  ASSERT_TRUE(WaitFor([&] { return parked.Size() >= 1; }, seconds(30)));
  EXPECT_EQ(parked.Values(), std::vector<std::string>{"bad"});
  EXPECT_EQ(*parked.Messages()[0].Header(kDlqReasonHeader), "validation: bad");
}

}  // namespace
}  // namespace smsflow::kafka
