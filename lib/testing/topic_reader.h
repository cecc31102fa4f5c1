#pragma once
// TopicReader: collects every record of one or more topics, from the start,
// through a real consumer group on devkafka, so tests can wait for what a
// service published. Header-only; users link smsflow_kafka.

#include <mutex>
#include <string>
#include <vector>

#include "lib/kafka/consumer.h"
#include "lib/kafka/producer.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/wait.h"

namespace smsflow::testing {

class TopicReader {
 public:
  TopicReader(const std::string& brokers, std::vector<std::string> topics) {
    kafka::ProducerOptions popts;
    popts.brokers = brokers;
    dlq_ = *kafka::MakeProducer(popts);
    kafka::ConsumerOptions opts;
    opts.brokers = brokers;
    opts.group_id = UniqueTopic("reader");
    opts.topics = std::move(topics);
    opts.extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
    consumer_ = std::make_unique<kafka::Consumer>(
        opts,
        [this](const std::vector<kafka::Message>& batch) {
          std::lock_guard lock(mu_);
          messages_.insert(messages_.end(), batch.begin(), batch.end());
          return std::vector<kafka::Disposition>(batch.size());
        },
        dlq_.get());
    auto st = consumer_->Start();
    if (!st.ok()) throw std::runtime_error(st.ToString());
  }
  ~TopicReader() { consumer_->Stop(); }

  std::vector<kafka::Message> Messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  size_t Count() {
    std::lock_guard lock(mu_);
    return messages_.size();
  }
  // Waits until at least `n` records arrived; returns what is there.
  std::vector<kafka::Message> WaitForCount(
      size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    WaitFor([&] { return Count() >= n; }, timeout);
    return Messages();
  }

 private:
  std::unique_ptr<kafka::Producer> dlq_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::mutex mu_;
  std::vector<kafka::Message> messages_;
};

}  // namespace smsflow::testing
