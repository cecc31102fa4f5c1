#include "services/router/service/derived_id.h"

#include <gtest/gtest.h>

#include "lib/sms/message_id.h"

namespace smsflow::router {
namespace {

TEST(DerivedIdTest, SameInboundSameId) {
  const std::string inbound = sms::NewMessageId();
  auto a = DeriveMessageId(inbound, "router-auto-reply");
  auto b = DeriveMessageId(inbound, "router-auto-reply");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, *b);
}

TEST(DerivedIdTest, IsAValidMessageIdWithTheInboundTimestamp) {
  const std::string inbound = sms::NewMessageId();
  auto id = DeriveMessageId(inbound, "router-auto-reply");
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(sms::IsMessageId(*id)) << *id;
  EXPECT_NE(*id, inbound);
  EXPECT_EQ(*sms::MessageIdTime(*id), *sms::MessageIdTime(inbound));
}

TEST(DerivedIdTest, DifferentInboundsOrPurposesDiffer) {
  const std::string a = sms::NewMessageId();
  const std::string b = sms::NewMessageId();
  EXPECT_NE(*DeriveMessageId(a, "x"), *DeriveMessageId(b, "x"));
  EXPECT_NE(*DeriveMessageId(a, "x"), *DeriveMessageId(a, "y"));
}

TEST(DerivedIdTest, StableAcrossBuildsForAKnownInput) {
  // Pinned: a change here would give redelivered inbounds new reply ids.
  auto id = DeriveMessageId("0190a5b2-7c3e-7d4f-8a9b-0c1d2e3f4a5b", "router-auto-reply");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "0190a5b2-7c3e-7cb5-96ae-6eb87a6a4831");
}

TEST(DerivedIdTest, RejectsANonMessageId) {
  auto id = DeriveMessageId("not-an-id", "x");
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(id.status().message()).find("message_id"), std::string::npos);
}

}  // namespace
}  // namespace smsflow::router
