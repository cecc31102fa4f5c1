#pragma once
// Plain value types for records going to and coming from Kafka. They own
// copies of their bytes and know nothing of librdkafka.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smsflow::kafka {

// Names the protobuf message type of a record's value.
inline constexpr std::string_view kTypeHeader = "smsflow-type";
// Set on dead-lettered records: why the consumer gave up, and where it came from.
inline constexpr std::string_view kDlqReasonHeader = "smsflow-dlq-reason";
inline constexpr std::string_view kDlqSourceTopicHeader = "smsflow-source-topic";
inline constexpr std::string_view kDlqSourcePartitionHeader = "smsflow-source-partition";
inline constexpr std::string_view kDlqSourceOffsetHeader = "smsflow-source-offset";

struct Header {
  std::string key;
  std::string value;
};

// A record to produce. Unless `partition` is set, the partition is chosen from
// the key by the producer's partitioner (consistent across producers), so
// records with one key stay in order; an empty key is sent as a null key and
// an empty value as a null value (a tombstone on a compacted topic).
struct Record {
  std::string topic;
  std::string key;
  std::string value;
  std::vector<::smsflow::kafka::Header> headers;
  int32_t partition = -1;  // -1: from the key
};

// Where the broker stored an acknowledged record.
struct Delivered {
  int32_t partition = -1;
  int64_t offset = -1;
};

// A consumed record.
struct Message {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::string key;
  std::string value;
  std::vector<::smsflow::kafka::Header> headers;
  int64_t timestamp_ms = -1;

  // The value of the first header named `key`, or nullptr.
  const std::string* Header(std::string_view key) const;
};

// The dead-letter record for `message`: to <topic>.dlq with the same key,
// value and headers, plus kDlqReasonHeader = `reason` and the source topic,
// partition and offset headers.
Record DeadLetterRecord(const Message& message, std::string_view reason);

}  // namespace smsflow::kafka
