#pragma once
// A devkafka process (librdkafka's mock cluster) for integration tests.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lib/testing/subprocess.h"

namespace smsflow::testing {

// Owns a devkafka child process and its temporary directory (bootstrap file
// and log). Construction blocks until the cluster is up with every smsflow
// topic plus `extra_topics`, or throws std::runtime_error with the log. Not
// thread-safe; the process is killed when this is destroyed or on Stop().
class DevKafka {
 public:
  explicit DevKafka(int brokers = 1, int partitions = 4,
                    std::vector<std::string> extra_topics = {});
  ~DevKafka();
  DevKafka(const DevKafka&) = delete;
  DevKafka& operator=(const DevKafka&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }
  // Kills the cluster (Kafka goes away; bootstrap() then points at nothing).
  void Stop();
  // An outage that keeps the data: every broker refuses connections until
  // BringBrokersUp(). Each returns once devkafka has applied it.
  void TakeBrokersDown();
  void BringBrokersUp();
  const std::string& log_path() const { return log_path_; }

 private:
  TempDir dir_;
  std::string log_path_;
  std::string bootstrap_;
  std::unique_ptr<Subprocess> process_;
};

// "<prefix>.<pid>.<counter>.<random>": a topic name no other test uses.
std::string UniqueTopic(std::string_view prefix);

}  // namespace smsflow::testing
