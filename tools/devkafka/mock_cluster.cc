#include "tools/devkafka/mock_cluster.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"

namespace smsflow::devkafka {

absl::StatusOr<std::unique_ptr<MockCluster>> MockCluster::Create(int brokers) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only hosts the mock; keep it quiet and off any real cluster.
  rd_kafka_conf_set(conf, "client.id", "devkafka", error, sizeof(error));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("devkafka: rd_kafka_new: ", error));
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (cluster == nullptr) {
    rd_kafka_destroy(rk);
    return absl::InternalError("devkafka: rd_kafka_mock_cluster_new failed");
  }
  return std::unique_ptr<MockCluster>(new MockCluster(rk, cluster, brokers));
}

MockCluster::MockCluster(rd_kafka_s* rk, rd_kafka_mock_cluster_s* cluster, int brokers)
    : rk_(rk),
      cluster_(cluster),
      brokers_(brokers),
      bootstrap_(rd_kafka_mock_cluster_bootstraps(cluster)) {}

MockCluster::~MockCluster() {
  rd_kafka_mock_cluster_destroy(cluster_);  // before the handle it lives in
  rd_kafka_destroy(rk_);
}

absl::Status MockCluster::SetBrokersUp(bool up) {
  for (int id = 1; id <= brokers_; ++id) {
    const rd_kafka_resp_err_t err = up ? rd_kafka_mock_broker_set_up(cluster_, id)
                                       : rd_kafka_mock_broker_set_down(cluster_, id);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return absl::InternalError(
          absl::StrCat("devkafka: broker ", id, up ? " up: " : " down: ", rd_kafka_err2str(err)));
    }
  }
  return absl::OkStatus();
}

absl::Status MockCluster::CreateTopic(const std::string& name, int partitions) {
  const rd_kafka_resp_err_t err =
      rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, std::min(brokers_, 3));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("devkafka: create topic ", name, ": ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::Status MockCluster::CreateTopics(const std::vector<std::string>& names, int partitions) {
  std::vector<absl::Status> results(names.size());
  std::vector<std::thread> threads;
  threads.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = CreateTopic(names[i], partitions); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& status : results) {
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string temporary = absl::StrCat(path, ".tmp.", getpid());
  FILE* file = std::fopen(temporary.c_str(), "w");
  if (file == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("open ", temporary, ": ", std::strerror(errno)));
  }
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  if (std::fclose(file) != 0 || !written) {
    std::remove(temporary.c_str());
    return absl::InternalError(absl::StrCat("write ", temporary, ": ", std::strerror(errno)));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return absl::InternalError(absl::StrCat("rename to ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace smsflow::devkafka
