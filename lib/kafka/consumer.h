#pragma once
// Consuming records in batches with at-least-once delivery: an offset is
// committed only once its record was handled (kDone) or parked on the
// dead-letter topic and acknowledged there (kDeadLetter).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "lib/kafka/producer.h"
#include "lib/kafka/record.h"

namespace smsflow::kafka {
namespace internal {
class ConsumerLoop;
struct ConsumerShared;
}  // namespace internal

enum class Outcome { kDone, kRetry, kDeadLetter };

struct Disposition {
  Outcome outcome = Outcome::kDone;
  std::string reason;  // for the DLQ header or the retry log
};

// Called on the consumer thread with up to max_batch messages (possibly from
// several partitions, in order within each); returns one Disposition per
// message, same order. Handlers must be idempotent: at-least-once means a
// message can come again (after kRetry, a crash, or a rebalance).
using BatchHandler = std::function<std::vector<Disposition>(const std::vector<Message>& batch)>;

using TopicPartitions = std::vector<std::pair<std::string, int32_t>>;

struct ConsumerOptions {
  std::string brokers;
  std::string group_id;
  std::vector<std::string> topics;
  std::string client_id = "smsflow";
  size_t max_batch = 500;
  std::chrono::milliseconds poll_timeout{100};
  std::chrono::milliseconds retry_backoff{200};  // before re-reading a kRetry message
  // Optional hooks, called on the consumer thread.
  std::function<void(const TopicPartitions&)> on_assigned;
  std::function<void(const TopicPartitions&)> on_revoked;
  // Any other librdkafka property (auto.offset.reset defaults to earliest).
  std::map<std::string, std::string> extra;
};

// Counters for tests and metrics; monotonically increasing.
struct ConsumerStats {
  uint64_t handled = 0;        // messages passed to the handler
  uint64_t done = 0;           // ... that returned kDone
  uint64_t dead_lettered = 0;  // acknowledged on <topic>.dlq
  uint64_t retried = 0;        // kRetry, or a dead-letter send that failed
  uint64_t commits = 0;        // successful offset commits
  uint64_t commit_failures = 0;
};

// Owns one rd_kafka_t (group consumer) and one poll thread that runs the
// handler and all librdkafka callbacks. Start/Stop are called from the owner's
// thread; Healthy/Stats from any thread. The DLQ producer must outlive this.
class Consumer {
 public:
  // Throws std::invalid_argument if dlq_producer is null or the options lack
  // brokers, group or topics (start-up misconfiguration).
  Consumer(ConsumerOptions options, BatchHandler handler, Producer* dlq_producer);
  ~Consumer();  // Stop()
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Subscribes and starts the poll thread. INVALID_ARGUMENT for a bad
  // property; FAILED_PRECONDITION if already started.
  absl::Status Start();
  // Finishes the batch in hand, commits what is done (synchronously), and
  // closes the consumer (leaves the group). Idempotent.
  void Stop();
  // Running and no fatal client error.
  bool Healthy() const;
  ConsumerStats Stats() const;

 private:
  ConsumerOptions options_;
  BatchHandler handler_;
  Producer* dlq_producer_;
  std::unique_ptr<internal::ConsumerShared> shared_;  // counters and flags, outlive the loop
  std::unique_ptr<internal::ConsumerLoop> loop_;      // owned by thread_ while it runs
  std::thread thread_;
};

}  // namespace smsflow::kafka
