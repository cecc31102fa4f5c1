#pragma once
// Helpers for the kafka integration tests: options tuned for quick
// rebalances on the mock cluster, and a thread-safe record of what a
// handler saw.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lib/kafka/consumer.h"
#include "lib/kafka/producer.h"
#include "lib/testing/devkafka.h"

namespace smsflow::kafka::testing {

// The 2.0.2 mock group coordinator waits 3 s before the first assignment and
// session.timeout.ms - 1 s on later rebalances; below ~3.5 s sessions expire
// before the first join completes.
inline ConsumerOptions FastConsumerOptions(const std::string& brokers, const std::string& group,
                                           std::vector<std::string> topics) {
  ConsumerOptions options;
  options.brokers = brokers;
  options.group_id = group;
  options.topics = std::move(topics);
  options.client_id = "kafka-test";
  options.poll_timeout = std::chrono::milliseconds(50);
  options.extra = {{"session.timeout.ms", "4000"},
                   {"heartbeat.interval.ms", "300"},
                   {"topic.metadata.refresh.interval.ms", "1000"},
                   {"fetch.wait.max.ms", "50"}};
  return options;
}

inline std::unique_ptr<Producer> TestProducer(
    const std::string& brokers,
    std::chrono::milliseconds delivery_timeout = std::chrono::seconds(10)) {
  ProducerOptions options;
  options.brokers = brokers;
  options.client_id = "kafka-test";
  options.delivery_timeout = delivery_timeout;
  // librdkafka debug contexts for investigating a failure, e.g. "msg,eos,broker".
  if (const char* debug = std::getenv("SMSFLOW_KAFKA_DEBUG")) options.extra["debug"] = debug;
  absl::StatusOr<std::unique_ptr<Producer>> producer = MakeProducer(options);
  if (!producer.ok()) ADD_FAILURE() << producer.status();
  return producer.ok() ? std::move(*producer) : nullptr;
}

// Produces each value to partition `partition` of `topic` and checks the acks.
inline void ProduceValues(Producer& producer, const std::string& topic,
                          const std::vector<std::string>& values, int32_t partition = 0) {
  std::vector<Record> records;
  for (const auto& value : values) {
    Record record{topic, "key-" + value, value, {}};
    record.partition = partition;
    records.push_back(std::move(record));
  }
  for (const auto& result : producer.SendAll(std::move(records))) {
    ASSERT_TRUE(result.ok()) << result.status();
  }
}

// What handlers saw, readable from the test thread.
class Seen {
 public:
  void Add(const Message& message) {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.push_back(message);
  }
  std::vector<Message> Messages() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }
  std::vector<std::string> Values() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> values;
    for (const auto& message : messages_) values.push_back(message.value);
    return values;
  }
  bool Contains(const std::string& value) const {
    for (const auto& v : Values()) {
      if (v == value) return true;
    }
    return false;
  }
  size_t Size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_.size();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Message> messages_;
};

// A handler that records every message and returns kDone.
inline BatchHandler RecordAll(Seen* seen) {
  return [seen](const std::vector<Message>& batch) {
    for (const auto& message : batch) seen->Add(message);
    return std::vector<Disposition>(batch.size());
  };
}

}  // namespace smsflow::kafka::testing
