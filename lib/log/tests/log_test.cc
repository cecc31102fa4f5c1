#include "lib/log/log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace smsflow::log {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Init("test-svc", "debug").ok());
    SetSinkForTesting([this](std::string_view l) { lines_.emplace_back(l); });
  }
  void TearDown() override { SetSinkForTesting(nullptr); }
  std::vector<std::string> lines_;
};

TEST_F(LogTest, WritesOneJsonObjectPerRecordWithFields) {
  Info("message accepted", {{"tenant", "acme"}, {"segments", 2}, {"dup", false}});
  ASSERT_EQ(lines_.size(), 1u);
  auto j = nlohmann::json::parse(lines_[0]);
  EXPECT_EQ(j["service"], "test-svc");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["msg"], "message accepted");
  EXPECT_EQ(j["tenant"], "acme");
  EXPECT_EQ(j["segments"], 2);
  EXPECT_EQ(j["dup"], false);
  EXPECT_TRUE(j.contains("ts"));
}

TEST_F(LogTest, PhoneNumbersAreRedactedAboveDebug) {
  Info("inbound", {{"from", Phone("+14155550123")}});
  Warn("inbound", {{"from", Phone("+14155550123")}});
  Debug("inbound", {{"from", Phone("+14155550123")}});
  ASSERT_EQ(lines_.size(), 3u);
  EXPECT_THAT(lines_[0], Not(HasSubstr("4155550123")));
  EXPECT_THAT(lines_[0], HasSubstr("+1415*****23"));
  EXPECT_THAT(lines_[1], Not(HasSubstr("4155550123")));
  EXPECT_THAT(lines_[2], HasSubstr("+14155550123"));
}

TEST_F(LogTest, LevelFilterDropsLowerRecords) {
  ASSERT_TRUE(Init("test-svc", "warn").ok());
  Info("hidden");
  Error("shown");
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_THAT(lines_[0], HasSubstr("shown"));
}

TEST_F(LogTest, UnknownLevelIsAnErrorNamingIt) {
  auto st = Init("x", "verbose");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()), HasSubstr("verbose"));
}

TEST_F(LogTest, InvalidUtf8DoesNotThrow) {
  Info("bad", {{"text", std::string("\xff\xfe", 2)}});
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_NO_THROW(nlohmann::json::parse(lines_[0]));
}

TEST(RedactPhoneTest, KeepsCountryAreaAndLastTwo) {
  EXPECT_EQ(RedactPhone("+14155550123"), "+1415*****23");
  EXPECT_EQ(RedactPhone("+442079460958"), "+4420******58");
  EXPECT_EQ(RedactPhone("12345"), "*****");
}

TEST(ThrottleTest, LetsOneThroughPerInterval) {
  Throttle throttle(absl::Hours(1));
  EXPECT_TRUE(throttle.Allow());
  EXPECT_FALSE(throttle.Allow());
  EXPECT_FALSE(throttle.Allow());
  Throttle always(absl::ZeroDuration());
  EXPECT_TRUE(always.Allow());
  EXPECT_TRUE(always.Allow());
}

}  // namespace
}  // namespace smsflow::log
