#pragma once
// Internal helpers shared by the librdkafka-backed producer and consumer:
// owning handles, configuration and error classification. Not for services.

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lib/kafka/consumer.h"
#include "lib/kafka/record.h"

namespace smsflow::kafka::internal {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
  void operator()(rd_kafka_headers_t* headers) const { rd_kafka_headers_destroy(headers); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using KafkaConf = std::unique_ptr<rd_kafka_conf_t, KafkaDeleter>;
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, KafkaDeleter>;
using KafkaHeaders = std::unique_ptr<rd_kafka_headers_t, KafkaDeleter>;

// Sets each property; INVALID_ARGUMENT naming the first one librdkafka rejects.
absl::Status SetAll(rd_kafka_conf_t* conf, const std::map<std::string, std::string>& properties);

// Classifies a librdkafka error: INVALID_ARGUMENT when retrying the same
// record cannot help, UNAVAILABLE (retriable) otherwise.
absl::Status ErrorToStatus(rd_kafka_resp_err_t err, std::string_view context);

// Converts a consumed librdkafka message (copying its bytes).
Message ToMessage(const rd_kafka_message_t* rkm);
TopicPartitions ToPairs(const rd_kafka_topic_partition_list_t* list);
PartitionList OneOffset(const std::string& topic, int32_t partition, int64_t offset);

// One JSON log line on stderr (component "kafka").
void Log(std::string_view level, std::string_view message);

}  // namespace smsflow::kafka::internal
