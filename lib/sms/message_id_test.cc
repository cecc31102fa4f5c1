#include "lib/sms/message_id.h"

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::sms {
namespace {

TEST(SmsNewMessageId, TenThousandIdsAreStrictlyIncreasingValidAndRecent) {
  const absl::Time before = absl::Now();
  std::vector<std::string> ids;
  ids.reserve(10000);
  for (int i = 0; i < 10000; ++i) ids.push_back(NewMessageId());
  const absl::Time after = absl::Now();

  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(ids[i].size(), 36u);
    ASSERT_TRUE(IsMessageId(ids[i])) << ids[i];
    if (i > 0) {
      ASSERT_LT(ids[i - 1], ids[i]) << "at " << i;
    }
    absl::StatusOr<absl::Time> t = MessageIdTime(ids[i]);
    ASSERT_TRUE(t.ok()) << t.status();
    ASSERT_GE(*t, absl::FromUnixMillis(absl::ToUnixMillis(before)) - absl::Seconds(1));
    ASSERT_LE(*t, after + absl::Seconds(1));
  }
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

TEST(SmsNewMessageId, ConcurrentGenerationIsUnique) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20000;
  std::vector<std::vector<std::string>> per_thread(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&out = per_thread[t]] {
      out.reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) out.push_back(NewMessageId());
    });
  }
  for (std::thread& t : threads) t.join();

  std::set<std::string> all;
  for (const auto& ids : per_thread) {
    for (std::size_t i = 1; i < ids.size(); ++i) ASSERT_LT(ids[i - 1], ids[i]);
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(SmsIsMessageId, Syntax) {
  EXPECT_TRUE(IsMessageId("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"));  // RFC 9562 example.
  EXPECT_FALSE(IsMessageId(""));
  EXPECT_FALSE(IsMessageId("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"));   // Uppercase.
  EXPECT_FALSE(IsMessageId("017f22e2-79b0-4cc3-98c4-dc0c0c07398f"));   // Version 4.
  EXPECT_FALSE(IsMessageId("017f22e2-79b0-7cc3-c8c4-dc0c0c07398f"));   // Variant 110.
  EXPECT_FALSE(IsMessageId("017f22e2079b0-7cc3-98c4-dc0c0c07398f"));   // Hyphen missing.
  EXPECT_FALSE(IsMessageId("017f22e2-79b0-7cc3-98c4-dc0c0c07398"));    // Short.
  EXPECT_FALSE(IsMessageId("017f22e2-79b0-7cc3-98c4-dc0c0c07398fa"));  // Long.
  EXPECT_FALSE(IsMessageId("017g22e2-79b0-7cc3-98c4-dc0c0c07398f"));   // Not hex.
}

TEST(SmsMessageIdTime, ReadsTheEmbeddedTimestamp) {
  // RFC 9562 appendix A.6: 0x017F22E279B0 = Tuesday, February 22, 2022 2:22:22.00 PM GMT-05:00.
  absl::StatusOr<absl::Time> t = MessageIdTime("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(absl::ToUnixMillis(*t), 0x017F22E279B0);
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S", *t, absl::UTCTimeZone()), "2022-02-22T19:22:22");

  absl::StatusOr<absl::Time> bad = MessageIdTime("not-an-id");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("'not-an-id' is not a UUIDv7"));
}

}  // namespace
}  // namespace smsflow::sms
