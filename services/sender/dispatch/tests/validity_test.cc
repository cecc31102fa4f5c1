#include "services/sender/dispatch/validity.h"

#include <gtest/gtest.h>

namespace smsflow::sender {
namespace {

v1::ApprovedMessage Message(absl::Time expire) {
  v1::ApprovedMessage m;
  *m.mutable_request()->mutable_expire_time() = ToProtoTime(expire);
  return m;
}

TEST(Validity, ReadyBeforeExpiry) {
  const absl::Time now = absl::FromUnixSeconds(1000);
  EXPECT_EQ(CheckValidity(Message(now + absl::Seconds(1)), now).state, Validity::State::kReady);
}

TEST(Validity, ExpiredAtAndAfterExpireTime) {
  const absl::Time now = absl::FromUnixSeconds(1000);
  EXPECT_EQ(CheckValidity(Message(now), now).state, Validity::State::kExpired);
  EXPECT_EQ(CheckValidity(Message(now - absl::Seconds(1)), now).state, Validity::State::kExpired);
}

TEST(Validity, SendingWindowEndExpires) {
  const absl::Time now = absl::FromUnixSeconds(1000);
  v1::ApprovedMessage m = Message(now + absl::Hours(1));
  *m.mutable_window_end_time() = ToProtoTime(now - absl::Seconds(1));
  Validity v = CheckValidity(m, now);
  EXPECT_EQ(v.state, Validity::State::kExpired);
  EXPECT_NE(v.description.find("window"), std::string::npos);
}

TEST(Validity, FutureSendTimeIsHeld) {
  const absl::Time now = absl::FromUnixSeconds(1000);
  v1::ApprovedMessage m = Message(now + absl::Hours(1));
  *m.mutable_request()->mutable_send_time() = ToProtoTime(now + absl::Minutes(5));
  Validity v = CheckValidity(m, now);
  EXPECT_EQ(v.state, Validity::State::kNotYet);
  EXPECT_EQ(v.not_before, now + absl::Minutes(5));
}

TEST(Validity, NoExpireTimeNeverExpires) {
  v1::ApprovedMessage m;
  EXPECT_EQ(CheckValidity(m, absl::FromUnixSeconds(1) + absl::Hours(1e6)).state,
            Validity::State::kReady);
}

TEST(Validity, TimestampRoundTrip) {
  const absl::Time t = absl::FromUnixMillis(1700000000123);
  EXPECT_EQ(ToAbslTime(ToProtoTime(t)), t);
}

}  // namespace
}  // namespace smsflow::sender
