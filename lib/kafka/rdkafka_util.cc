#include "lib/kafka/rdkafka_util.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "lib/log/log.h"

namespace smsflow::kafka::internal {

absl::Status SetAll(rd_kafka_conf_t* conf, const std::map<std::string, std::string>& properties) {
  char error[512];
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat("kafka property ", name, ": ", error));
    }
  }
  return absl::OkStatus();
}

absl::Status ErrorToStatus(rd_kafka_resp_err_t err, std::string_view context) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return absl::OkStatus();
  std::string message =
      absl::StrCat(std::string(context), ": ", rd_kafka_err2name(err), ": ", rd_kafka_err2str(err));
  switch (err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_MSG:
    case RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR_INVALID_REQUIRED_ACKS:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__BAD_MSG:
      return absl::InvalidArgumentError(message);
    default:
      return absl::UnavailableError(message);
  }
}

TopicPartitions ToPairs(const rd_kafka_topic_partition_list_t* list) {
  TopicPartitions out;
  for (int i = 0; i < list->cnt; ++i)
    out.emplace_back(list->elems[i].topic, list->elems[i].partition);
  return out;
}

PartitionList OneOffset(const std::string& topic, int32_t partition, int64_t offset) {
  PartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition)->offset = offset;
  return list;
}

Message ToMessage(const rd_kafka_message_t* rkm) {
  Message message;
  message.topic = rd_kafka_topic_name(rkm->rkt);
  message.partition = rkm->partition;
  message.offset = rkm->offset;
  if (rkm->key != nullptr) message.key.assign(static_cast<const char*>(rkm->key), rkm->key_len);
  if (rkm->payload != nullptr) {
    message.value.assign(static_cast<const char*>(rkm->payload), rkm->len);
  }
  rd_kafka_timestamp_type_t type;
  message.timestamp_ms = rd_kafka_message_timestamp(rkm, &type);
  rd_kafka_headers_t* headers = nullptr;  // owned by the message
  if (rd_kafka_message_headers(rkm, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name;
    const void* value;
    size_t size;
    for (size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      message.headers.push_back({name, value == nullptr
                                           ? std::string()
                                           : std::string(static_cast<const char*>(value), size)});
    }
  }
  return message;
}

void Log(std::string_view level, std::string_view message) {
  const log::Level l = level == "error"  ? log::Level::kError
                       : level == "warn" ? log::Level::kWarn
                       : level == "info" ? log::Level::kInfo
                                         : log::Level::kDebug;
  log::Write(l, message, {{"component", "kafka"}});
}

}  // namespace smsflow::kafka::internal
