#pragma once
// librdkafka's in-process mock Kafka cluster, listening on 127.0.0.1.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace smsflow::devkafka {

// Owns the mock cluster and the rd_kafka_t handle it runs under (the mock has
// its own thread; this object only creates topics). Not copyable; the cluster
// stops when this is destroyed. Methods are not thread-safe.
class MockCluster {
 public:
  static absl::StatusOr<std::unique_ptr<MockCluster>> Create(int brokers);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  // Replication factor min(brokers, 3). The mock has no CreateTopics handler,
  // so this is how topics come to exist.
  absl::Status CreateTopic(const std::string& name, int partitions);
  // Creates them concurrently: the 2.0.2 mock serves API calls about once a
  // second after the first, so one at a time costs a second per topic.
  absl::Status CreateTopics(const std::vector<std::string>& names, int partitions);
  const std::string& bootstrap() const { return bootstrap_; }
  // Takes every broker down (connections refused and closed) or brings them
  // back; the data in the partitions survives, which is how tests make Kafka
  // unavailable for a while without losing what it acknowledged.
  absl::Status SetBrokersUp(bool up);

 private:
  MockCluster(rd_kafka_s* rk, rd_kafka_mock_cluster_s* cluster, int brokers);
  rd_kafka_s* rk_;
  rd_kafka_mock_cluster_s* cluster_;
  int brokers_;
  std::string bootstrap_;
};

// Writes `content` to `path` atomically (temporary file, then rename).
absl::Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace smsflow::devkafka
