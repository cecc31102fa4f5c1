// Checks on the generated wire contract: every .proto in smsflow/v1 is built
// into smsflow_proto, follows the enum conventions, and the names the walking
// skeleton codes against keep their numbers.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "smsflow/v1/inbound.pb.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"

namespace smsflow::v1 {
namespace {

namespace gp = google::protobuf;

// File names ("smsflow/v1/x.proto") of every .proto in the source tree.
std::vector<std::string> ContractFiles() {
  std::vector<std::string> files;
  const std::filesystem::path dir =
      std::filesystem::path(SMSFLOW_PROTO_SOURCE_DIR) / "smsflow" / "v1";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".proto") {
      files.push_back("smsflow/v1/" + entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void CollectEnums(const gp::Descriptor* message, std::vector<const gp::EnumDescriptor*>* out) {
  for (int i = 0; i < message->enum_type_count(); ++i) {
    out->push_back(message->enum_type(i));
  }
  for (int i = 0; i < message->nested_type_count(); ++i) {
    CollectEnums(message->nested_type(i), out);
  }
}

InboundMessage FullInboundMessage() {
  InboundMessage m;
  m.set_message_id("0190a5b2-7c3e-7d4f-8a9b-0c1d2e3f4a5b");
  m.set_tenant_id("acme");
  m.set_sender_scope("acme-support");
  m.set_from("+14155550123");
  m.set_to("+18005550100");
  m.set_body("Do you have the XS blue denim shirt in stock? \xF0\x9F\x91\x95");
  m.set_encoding(ENCODING_UCS2);
  m.set_segments(1);
  m.set_provider("twilio");
  m.set_provider_message_id("SM0123456789abcdef0123456789abcdef");
  m.mutable_received_time()->set_seconds(1733300000);
  m.mutable_received_time()->set_nanos(123000000);
  m.mutable_provider_time()->set_seconds(1733299999);
  m.set_source(INBOUND_SOURCE_WEBHOOK);
  m.set_num_media(2);
  m.add_media_urls("https://media.example/1.jpg");
  m.add_media_urls("https://media.example/2.jpg");
  return m;
}

TEST(ProtoContract, InboundMessageRoundTripsThroughWireFormat) {
  const InboundMessage original = FullInboundMessage();
  std::string wire;
  ASSERT_TRUE(original.SerializeToString(&wire));

  InboundMessage decoded;
  ASSERT_TRUE(decoded.ParseFromString(wire));
  EXPECT_TRUE(gp::util::MessageDifferencer::Equals(original, decoded)) << decoded.DebugString();
}

TEST(ProtoContract, InboundMessageRoundTripsThroughJson) {
  const InboundMessage original = FullInboundMessage();
  std::string json;
  ASSERT_TRUE(gp::util::MessageToJsonString(original, &json).ok());

  InboundMessage decoded;
  ASSERT_TRUE(gp::util::JsonStringToMessage(json, &decoded).ok()) << json;
  EXPECT_TRUE(gp::util::MessageDifferencer::Equals(original, decoded)) << json;
}

TEST(ProtoContract, EveryProtoFileIsInTheGeneratedPool) {
  const std::vector<std::string> files = ContractFiles();
  ASSERT_GE(files.size(), 11u);
  for (const std::string& name : files) {
    const gp::FileDescriptor* file = gp::DescriptorPool::generated_pool()->FindFileByName(name);
    ASSERT_NE(file, nullptr) << name << " is not compiled into smsflow_proto";
    EXPECT_EQ(file->package(), "smsflow.v1") << name;
    EXPECT_EQ(file->syntax(), gp::FileDescriptor::SYNTAX_PROTO3) << name;
  }
}

TEST(ProtoContract, EveryEnumStartsWithUnspecifiedZero) {
  int enums_checked = 0;
  for (const std::string& name : ContractFiles()) {
    const gp::FileDescriptor* file = gp::DescriptorPool::generated_pool()->FindFileByName(name);
    ASSERT_NE(file, nullptr) << name;
    std::vector<const gp::EnumDescriptor*> enums;
    for (int i = 0; i < file->enum_type_count(); ++i) {
      enums.push_back(file->enum_type(i));
    }
    for (int i = 0; i < file->message_type_count(); ++i) {
      CollectEnums(file->message_type(i), &enums);
    }
    for (const gp::EnumDescriptor* e : enums) {
      ++enums_checked;
      ASSERT_GT(e->value_count(), 0) << e->full_name();
      const gp::EnumValueDescriptor* first = e->value(0);
      EXPECT_EQ(first->number(), 0) << e->full_name();
      const std::string& value_name = first->name();
      const std::string suffix = "_UNSPECIFIED";
      EXPECT_TRUE(value_name.size() > suffix.size() &&
                  value_name.compare(value_name.size() - suffix.size(), suffix.size(), suffix) == 0)
          << e->full_name() << " starts with " << value_name;
    }
  }
  EXPECT_GT(enums_checked, 10);
}

// The walking skeleton codes against these names and numbers; changing any of
// them breaks running producers and consumers.
TEST(ProtoContract, SkeletonFieldNumbersAreStable) {
  const std::vector<std::pair<std::string, int>> inbound = {{"message_id", 1},
                                                            {"tenant_id", 2},
                                                            {"sender_scope", 3},
                                                            {"from", 4},
                                                            {"to", 5},
                                                            {"body", 6},
                                                            {"encoding", 7},
                                                            {"segments", 8},
                                                            {"provider", 9},
                                                            {"provider_message_id", 10},
                                                            {"received_time", 11},
                                                            {"provider_time", 12},
                                                            {"source", 13},
                                                            {"num_media", 14},
                                                            {"media_urls", 15}};
  for (const auto& [field, number] : inbound) {
    const gp::FieldDescriptor* f = InboundMessage::descriptor()->FindFieldByName(field);
    ASSERT_NE(f, nullptr) << field;
    EXPECT_EQ(f->number(), number) << field;
  }

  const std::vector<std::pair<std::string, int>> request = {{"from", 1},
                                                            {"to", 2},
                                                            {"body", 3},
                                                            {"provider", 4},
                                                            {"provider_message_id", 5},
                                                            {"provider_time", 6},
                                                            {"num_media", 7},
                                                            {"media_urls", 8}};
  for (const auto& [field, number] : request) {
    const gp::FieldDescriptor* f = ReceiveMessageRequest::descriptor()->FindFieldByName(field);
    ASSERT_NE(f, nullptr) << field;
    EXPECT_EQ(f->number(), number) << field;
  }

  const std::vector<std::pair<std::string, int>> response = {
      {"message_id", 1}, {"outcome", 2}, {"encoding", 3}, {"segments", 4}, {"tenant_id", 5}};
  for (const auto& [field, number] : response) {
    const gp::FieldDescriptor* f = ReceiveMessageResponse::descriptor()->FindFieldByName(field);
    ASSERT_NE(f, nullptr) << field;
    EXPECT_EQ(f->number(), number) << field;
  }

  EXPECT_EQ(ENCODING_GSM7, 1);
  EXPECT_EQ(ENCODING_UCS2, 2);
  EXPECT_EQ(CATEGORY_OTP, 1);
  EXPECT_EQ(CATEGORY_COMPLIANCE, 5);
  EXPECT_EQ(LANE_OTP, 1);
  EXPECT_EQ(LANE_MARKETING, 4);
  EXPECT_EQ(INBOUND_SOURCE_SMPP, 3);
  EXPECT_EQ(RECEIVE_OUTCOME_ACCEPTED, 1);
  EXPECT_EQ(RECEIVE_OUTCOME_DUPLICATE, 2);
  EXPECT_EQ(RECEIVE_OUTCOME_REJECTED, 3);

  const gp::ServiceDescriptor* ingest =
      gp::DescriptorPool::generated_pool()->FindServiceByName(IngestService::service_full_name());
  ASSERT_NE(ingest, nullptr);
  for (const char* rpc : {"ReceiveMessage", "ReceiveMessages", "ReportDeliveryReceipts"}) {
    EXPECT_NE(ingest->FindMethodByName(rpc), nullptr) << rpc;
  }
}

}  // namespace
}  // namespace smsflow::v1
