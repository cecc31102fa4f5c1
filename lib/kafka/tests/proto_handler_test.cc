#include "lib/kafka/proto_handler.h"

#include <google/protobuf/wrappers.pb.h>
#include <gtest/gtest.h>

namespace smsflow::kafka {
namespace {

using google::protobuf::StringValue;

Message Encoded(const std::string& text, int64_t offset) {
  StringValue value;
  value.set_value(text);
  Message message;
  message.offset = offset;
  message.value = value.SerializeAsString();
  return message;
}

Message Garbage(int64_t offset) {
  Message message;
  message.offset = offset;
  message.value = std::string(12, '\xff');  // a tag varint that never ends
  return message;
}

TEST(ProtoBatchHandler, DecodesAndDeadLettersUndecodable) {
  std::vector<std::string> seen;
  BatchHandler handler = ProtoBatchHandler<StringValue>([&](const ProtoBatch<StringValue>& batch) {
    std::vector<Disposition> out;
    for (const auto& [message, value] : batch) {
      seen.push_back(value.value());
      out.push_back(value.value() == "retry" ? Disposition{Outcome::kRetry, "busy"}
                                             : Disposition{});
    }
    return out;
  });
  const std::vector<Message> batch = {Encoded("one", 0), Garbage(1), Encoded("retry", 2),
                                      Encoded("", 3)};
  const std::vector<Disposition> result = handler(batch);
  ASSERT_EQ(result.size(), 4u);
  EXPECT_EQ(seen, (std::vector<std::string>{"one", "retry", ""}));
  EXPECT_EQ(result[0].outcome, Outcome::kDone);
  EXPECT_EQ(result[1].outcome, Outcome::kDeadLetter);
  EXPECT_EQ(result[1].reason, "decode: google.protobuf.StringValue parse failed");
  EXPECT_EQ(result[2].outcome, Outcome::kRetry);
  EXPECT_EQ(result[2].reason, "busy");
  EXPECT_EQ(result[3].outcome, Outcome::kDone);
}

TEST(ProtoBatchHandler, InnerNotCalledWhenNothingDecodes) {
  bool called = false;
  BatchHandler handler = ProtoBatchHandler<StringValue>([&](const ProtoBatch<StringValue>&) {
    called = true;
    return std::vector<Disposition>{};
  });
  const std::vector<Disposition> result = handler({Garbage(0)});
  EXPECT_FALSE(called);
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(result[0].outcome, Outcome::kDeadLetter);
}

TEST(ProtoBatchHandler, WrongDispositionCountRetriesDecoded) {
  BatchHandler handler = ProtoBatchHandler<StringValue>(
      [](const ProtoBatch<StringValue>&) { return std::vector<Disposition>{}; });
  const std::vector<Disposition> result = handler({Encoded("a", 0), Garbage(1)});
  ASSERT_EQ(result.size(), 2u);
  EXPECT_EQ(result[0].outcome, Outcome::kRetry);
  EXPECT_EQ(result[1].outcome, Outcome::kDeadLetter);
}

}  // namespace
}  // namespace smsflow::kafka
