#pragma once
// Internal: the poll-thread side of Consumer. Not for services.

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lib/kafka/consumer.h"
#include "lib/kafka/rdkafka_util.h"

namespace smsflow::kafka::internal {

// Written by the poll thread, read by anyone; outlives each ConsumerLoop.
struct ConsumerShared {
  std::atomic<bool> running{false};
  std::atomic<bool> fatal{false};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> handled{0}, done{0}, dead_lettered{0}, retried{0}, commits{0},
      commit_failures{0};
};

// Owns the rd_kafka_t consumer handle and the per-partition progress. Every
// method but the constructor runs on the poll thread (Init may run on the
// owner's thread before that thread starts). Destroying it destroys the handle.
class ConsumerLoop {
 public:
  ConsumerLoop(const ConsumerOptions& options, const BatchHandler& handler, Producer* dlq,
               ConsumerShared* shared);
  // Creates the handle and subscribes. INVALID_ARGUMENT for a bad property.
  absl::Status Init();
  // Polls and handles batches until shared->stop, then commits and closes.
  void Run();

 private:
  using Key = std::pair<std::string, int32_t>;
  struct Progress {
    int64_t commit_next = -1;  // offset to commit (next to read), -1 = nothing done yet
    bool dirty = false;        // commit_next not yet committed
    bool held = false;         // paused after kRetry, waiting for resume_at
    int64_t retry_offset = -1;
    std::chrono::steady_clock::time_point resume_at;
  };

  std::vector<Message> Collect();
  void HandleBatch(const std::vector<Message>& batch);
  std::vector<Disposition> CallHandler(const std::vector<Message>& batch);
  // Pauses the partition; it is sought back to `offset` after the backoff.
  void Hold(const Key& key, int64_t offset, const std::string& reason);
  void ResumeDue();
  std::chrono::milliseconds PollTimeout() const;
  // Commits the dirty offsets of `only` (all assigned partitions when null).
  void Commit(bool async, const std::vector<Key>* only = nullptr);
  void OnAssign(rd_kafka_topic_partition_list_t* partitions);
  void OnRevoke(rd_kafka_topic_partition_list_t* partitions);

  static void RebalanceCallback(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t* partitions, void* opaque);
  static void CommitCallback(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t* offsets, void* opaque);
  static void ErrorCallback(rd_kafka_t* rk, int err, const char* reason, void* opaque);

  const ConsumerOptions& options_;
  const BatchHandler& handler_;
  Producer* dlq_;
  ConsumerShared* shared_;
  KafkaHandle rk_;
  std::map<Key, Progress> assigned_;
  bool cooperative_ = false;
};

}  // namespace smsflow::kafka::internal
