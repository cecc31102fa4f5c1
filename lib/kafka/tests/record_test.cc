#include "lib/kafka/record.h"

#include <gtest/gtest.h>

namespace smsflow::kafka {
namespace {

TEST(Message, HeaderFindsFirstMatchOrNull) {
  Message message;
  message.headers = {{"a", "1"}, {"b", "2"}, {"a", "3"}, {"empty", ""}};
  ASSERT_NE(message.Header("a"), nullptr);
  EXPECT_EQ(*message.Header("a"), "1");
  EXPECT_EQ(*message.Header("b"), "2");
  ASSERT_NE(message.Header("empty"), nullptr);
  EXPECT_EQ(*message.Header("empty"), "");
  EXPECT_EQ(message.Header("A"), nullptr);
  EXPECT_EQ(message.Header("missing"), nullptr);
}

TEST(DeadLetterRecord, KeepsRecordAndAddsProvenance) {
  Message message;
  message.topic = "sms.inbound.v1";
  message.partition = 3;
  message.offset = 42;
  message.key = "tenant|+15550000000";
  message.value = std::string("\0\x01value", 7);
  message.headers = {{std::string(kTypeHeader), "smsflow.v1.InboundMessage"}};
  const Record record = DeadLetterRecord(message, "decode: X parse failed");
  EXPECT_EQ(record.topic, "sms.inbound.v1.dlq");
  EXPECT_EQ(record.key, message.key);
  EXPECT_EQ(record.value, message.value);
  EXPECT_EQ(record.partition, -1);
  Message as_read;
  as_read.headers = record.headers;
  EXPECT_EQ(*as_read.Header(kTypeHeader), "smsflow.v1.InboundMessage");
  EXPECT_EQ(*as_read.Header(kDlqReasonHeader), "decode: X parse failed");
  EXPECT_EQ(*as_read.Header(kDlqSourceTopicHeader), "sms.inbound.v1");
  EXPECT_EQ(*as_read.Header(kDlqSourcePartitionHeader), "3");
  EXPECT_EQ(*as_read.Header(kDlqSourceOffsetHeader), "42");
}

}  // namespace
}  // namespace smsflow::kafka
