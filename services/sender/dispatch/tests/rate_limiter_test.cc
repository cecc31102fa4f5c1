// The token-bucket Lua script against a real redis-server: the same cases as
// the pure maths (token_bucket_test.cc), plus atomicity under concurrency.
#include "services/sender/dispatch/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>

#include "lib/testing/redis_server.h"

namespace smsflow::sender {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  testing::RedisServer redis_;
  redis::Pool pool_{redis_.options(), 4};
  RedisRateLimiter limiter_{pool_};

  // A bucket that practically does not refill during the test.
  static LimitRequest Req(std::vector<std::string> keys, std::vector<BucketLimit> limits,
                          std::vector<int> segments) {
    LimitRequest r;
    r.keys = std::move(keys);
    r.limits = std::move(limits);
    r.segments = std::move(segments);
    return r;
  }
};

TEST_F(RateLimiterTest, GrantsAPrefixUpToBurstAndSaysHowLongToWait) {
  auto g = limiter_.AcquireAll({Req({"b1"}, {{0.001, 10}}, std::vector<int>(15, 1))});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)[0].granted, 10);
  EXPECT_EQ((*g)[0].segments, 10);
  EXPECT_GT((*g)[0].wait_ms, 900000);  // 1 token at 0.001/s: ~1000 s
  g = limiter_.AcquireAll({Req({"b1"}, {{0.001, 10}}, {1})});
  EXPECT_EQ((*g)[0].granted, 0);
}

TEST_F(RateLimiterTest, EveryBucketMustHaveRoomAndPipelinedCallsSeeEachOther) {
  auto g = limiter_.AcquireAll({Req({"num", "tenant"}, {{0.001, 100}, {0.001, 3}}, {1, 1}),
                                Req({"num2", "tenant"}, {{0.001, 100}, {0.001, 3}}, {1, 1})});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)[0].granted, 2);
  EXPECT_EQ((*g)[1].granted, 1);  // the shared tenant bucket had 1 left
}

TEST_F(RateLimiterTest, SegmentsCountAndLongMessagesTakeDebt) {
  auto g = limiter_.AcquireAll({Req({"d"}, {{0.001, 2}}, {5, 1})});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)[0].granted, 1);
  EXPECT_EQ((*g)[0].segments, 5);
  EXPECT_GT((*g)[0].wait_ms, 4000 * 1000 - 10000);  // repay 3 tokens + need 1 more, at 0.001/s
}

TEST_F(RateLimiterTest, DailyCap) {
  LimitRequest r = Req({"c"}, {{1000, 1000}}, {1, 1, 1, 1});
  r.daily_key = "daily:acme";
  r.daily_limit = 3;
  auto g = limiter_.AcquireAll({r});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)[0].granted, 3);
  EXPECT_TRUE((*g)[0].daily_cap_reached);
  EXPECT_GT((*g)[0].wait_ms, 0);
  EXPECT_LE((*g)[0].wait_ms, kDayMs);
}

TEST_F(RateLimiterTest, ConcurrentCallersNeverExceedTheBucket) {
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      redis::Pool pool(redis_.options(), 1);
      RedisRateLimiter limiter(pool);
      for (int i = 0; i < 50; ++i) {
        auto g = limiter.AcquireAll({Req({"shared"}, {{0.001, 100}}, {1, 1, 1})});
        if (g.ok()) granted += (*g)[0].granted;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(granted.load(), 100);
}

TEST_F(RateLimiterTest, RefillsWithRedisTime) {
  auto g = limiter_.AcquireAll({Req({"fast"}, {{1000, 5}}, std::vector<int>(5, 1))});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ((*g)[0].granted, 5);
  EXPECT_LE((*g)[0].wait_ms, 5);
}

TEST_F(RateLimiterTest, APauseGrantsNothingUntilItEndsAndIsNeverShortened) {
  LimitRequest r = Req({"paused-num"}, {{1000, 100}}, {1, 1, 1});
  r.pause_keys = {"smsflow:rl:pause:carrier:test"};
  ASSERT_TRUE(limiter_.Pause(r.pause_keys, absl::Seconds(60)).ok());
  ASSERT_TRUE(limiter_.Pause(r.pause_keys, absl::Seconds(1)).ok());  // shorter: kept at 60 s
  auto g = limiter_.AcquireAll({r});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)[0].granted, 0);
  EXPECT_GT((*g)[0].wait_ms, 50000);
  // Tokens were not taken while paused; another connection is not paused.
  LimitRequest other = r;
  other.pause_keys = {"smsflow:rl:pause:carrier:other"};
  auto h = limiter_.AcquireAll({other});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)[0].granted, 3);
}

TEST_F(RateLimiterTest, UnavailableWhenRedisIsDown) {
  redis_.Stop();
  auto g = limiter_.AcquireAll({Req({"x"}, {{1, 1}}, {1})});
  EXPECT_FALSE(g.ok());
}

TEST(RateLimitPolicy, BucketsFromConfig) {
  auto tenants = *config::TenantDirectory::FromYaml(R"(
tenants:
  - id: acme
    brand: {name: Acme, description: d, frequency: f, support: s}
    numbers:
      - {number: "+14155550100", type: toll_free}
)");
  RateLimitOptions o;
  o.default_tenant_rate = 10;
  o.carrier_rate = 100;
  o.daily_caps["acme"] = 1000;
  RateLimitPolicy p(o, tenants);
  LimitRequest r = p.For("acme", "+14155550100");
  ASSERT_EQ(r.keys.size(), 3u);
  EXPECT_EQ(r.keys[0], "smsflow:rl:num:+14155550100");
  EXPECT_DOUBLE_EQ(r.limits[0].rate, 3);  // toll-free default
  EXPECT_DOUBLE_EQ(r.limits[0].burst, 3);
  EXPECT_EQ(r.keys[1], "smsflow:rl:tenant:acme");
  EXPECT_EQ(r.keys[2], "smsflow:rl:carrier:sim");
  EXPECT_EQ(r.daily_key, "smsflow:rl:daily:acme");
  EXPECT_EQ(r.daily_limit, 1000);
  EXPECT_EQ(r.pause_keys, std::vector<std::string>{"smsflow:rl:pause:carrier:sim"});
}

TEST(RateLimitPolicy, TenantsFileLimitsOverrideTheDefaults) {
  auto tenants = *config::TenantDirectory::FromYaml(R"(
tenants:
  - id: acme
    brand: {name: Acme, description: d, frequency: f, support: s}
    numbers: [{number: "+14155550100"}]
    limits: {rate: 40, daily_segments: 500}
  - id: globex
    brand: {name: Globex, description: d, frequency: f, support: s}
    numbers: [{number: "+13125550100"}]
)");
  RateLimitOptions o;
  o.default_tenant_rate = 10;
  o.default_daily_cap = 100000;
  RateLimitPolicy p(o, tenants);
  LimitRequest acme = p.For("acme", "+14155550100");
  ASSERT_EQ(acme.keys.size(), 2u);
  EXPECT_EQ(acme.keys[1], "smsflow:rl:tenant:acme");
  EXPECT_DOUBLE_EQ(acme.limits[1].rate, 40);
  EXPECT_EQ(acme.daily_limit, 500);
  LimitRequest globex = p.For("globex", "+13125550100");
  ASSERT_EQ(globex.keys.size(), 2u);
  EXPECT_DOUBLE_EQ(globex.limits[1].rate, 10);
  EXPECT_EQ(globex.daily_limit, 100000);
}

}  // namespace
}  // namespace smsflow::sender
