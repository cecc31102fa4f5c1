#include "services/consent/ledger/derived_ids.h"

#include <gtest/gtest.h>

#include "lib/sms/message_id.h"

namespace smsflow::consent::ledger {
namespace {

TEST(DerivedIdsTest, SameSourceSameId) {
  const std::string inbound = sms::NewMessageId();
  const absl::Time t = absl::Now();
  EXPECT_EQ(DerivedIdFromMessage(kEventPurpose, inbound, t),
            DerivedIdFromMessage(kEventPurpose, inbound, t + absl::Hours(1)));
  EXPECT_NE(DerivedIdFromMessage(kEventPurpose, inbound, t),
            DerivedIdFromMessage(kReplyPurpose, inbound, t));
  EXPECT_NE(DerivedIdFromMessage(kEventPurpose, inbound, t),
            DerivedIdFromMessage(kEventPurpose, sms::NewMessageId(), t));
}

TEST(DerivedIdsTest, IsAValidUuidV7CarryingTheSourceTime) {
  const std::string inbound = sms::NewMessageId();
  const std::string id = DerivedIdFromMessage(kEventPurpose, inbound, absl::UnixEpoch());
  EXPECT_TRUE(sms::IsMessageId(id)) << id;
  EXPECT_EQ(*sms::MessageIdTime(id), *sms::MessageIdTime(inbound));
  for (int i = 0; i < 200; ++i) {
    const std::string other = DerivedId("p", std::to_string(i), absl::Now());
    EXPECT_TRUE(sms::IsMessageId(other)) << other;
  }
}

TEST(DerivedIdsTest, NonUuidSourceUsesTheFallbackTime) {
  const absl::Time t = absl::FromUnixMillis(1700000000123);
  const std::string id = DerivedIdFromMessage(kEventPurpose, "provider-123", t);
  EXPECT_TRUE(sms::IsMessageId(id));
  EXPECT_EQ(*sms::MessageIdTime(id), t);
}

}  // namespace
}  // namespace smsflow::consent::ledger
