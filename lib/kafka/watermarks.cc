#include "lib/kafka/watermarks.h"

#include <librdkafka/rdkafka.h>

#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/kafka/rdkafka_util.h"

namespace smsflow::kafka {
namespace {

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* md) const { rd_kafka_metadata_destroy(md); }
};

}  // namespace

absl::StatusOr<std::map<int32_t, PartitionWatermarks>> Watermarks(
    const std::string& brokers, const std::string& topic, std::chrono::milliseconds timeout) {
  if (brokers.empty()) return absl::InvalidArgumentError("brokers: required");
  if (topic.empty()) return absl::InvalidArgumentError("topic: required");
  internal::KafkaConf conf(rd_kafka_conf_new());
  if (auto s = internal::SetAll(
          conf.get(), {{"bootstrap.servers", brokers}, {"client.id", "smsflow-watermarks"}});
      !s.ok()) {
    return s;
  }
  char err[512];
  internal::KafkaHandle rk(rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), err, sizeof err));
  if (rk == nullptr) return absl::InternalError(absl::StrCat("rd_kafka_new: ", err));
  conf.release();  // owned by rk now
  // Metadata of all topics: a request naming the topic could create it on
  // brokers with auto.create.topics.enable (librdkafka cannot always say
  // "don't" to older protocol versions).
  const int ms = static_cast<int>(timeout.count());
  const rd_kafka_metadata_t* raw = nullptr;
  if (rd_kafka_resp_err_t e = rd_kafka_metadata(rk.get(), 1, nullptr, &raw, ms); e != 0) {
    return internal::ErrorToStatus(e, absl::StrCat("metadata of ", topic));
  }
  std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> md(raw);
  const rd_kafka_metadata_topic_t* found = nullptr;
  for (int t = 0; t < md->topic_cnt; ++t) {
    if (topic == md->topics[t].topic) found = &md->topics[t];
  }
  if (found == nullptr || found->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
    return absl::NotFoundError(absl::StrCat("topic ", topic, ": unknown to the cluster"));
  }
  if (found->err != 0) {
    return internal::ErrorToStatus(found->err, absl::StrCat("metadata of ", topic));
  }
  std::vector<int32_t> partitions;
  for (int p = 0; p < found->partition_cnt; ++p) partitions.push_back(found->partitions[p].id);
  if (partitions.empty()) {
    return absl::NotFoundError(absl::StrCat("topic ", topic, ": no partitions"));
  }
  std::map<int32_t, PartitionWatermarks> out;
  for (int32_t p : partitions) {
    PartitionWatermarks w;
    if (rd_kafka_resp_err_t e =
            rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &w.low, &w.high, ms);
        e != 0) {
      return internal::ErrorToStatus(e, absl::StrCat("watermarks of ", topic, "/", p));
    }
    out[p] = w;
  }
  return out;
}

absl::StatusOr<std::map<int32_t, int64_t>> EndOffsets(const std::string& brokers,
                                                      const std::string& topic,
                                                      std::chrono::milliseconds timeout) {
  auto marks = Watermarks(brokers, topic, timeout);
  if (!marks.ok()) return marks.status();
  std::map<int32_t, int64_t> out;
  for (const auto& [p, w] : *marks) out[p] = w.high;
  return out;
}

}  // namespace smsflow::kafka
