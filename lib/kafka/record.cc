#include "lib/kafka/record.h"

#include "lib/kafka/topics.h"

namespace smsflow::kafka {

const std::string* Message::Header(std::string_view key) const {
  for (const auto& header : headers) {
    if (header.key == key) return &header.value;
  }
  return nullptr;
}

Record DeadLetterRecord(const Message& message, std::string_view reason) {
  Record record{topics::Dlq(message.topic), message.key, message.value, message.headers};
  record.headers.push_back({std::string(kDlqReasonHeader), std::string(reason)});
  record.headers.push_back({std::string(kDlqSourceTopicHeader), message.topic});
  record.headers.push_back(
      {std::string(kDlqSourcePartitionHeader), std::to_string(message.partition)});
  record.headers.push_back({std::string(kDlqSourceOffsetHeader), std::to_string(message.offset)});
  return record;
}

}  // namespace smsflow::kafka
