#include "lib/store/cancellations.h"

#include <gtest/gtest.h>

#include "lib/testing/redis_server.h"

namespace smsflow::store {
namespace {

TEST(CancellationStoreTest, BatchAndMessageMarks) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  CancellationStore store(pool);
  ASSERT_TRUE(store.CancelBatch("b-1").ok());
  ASSERT_TRUE(store.CancelMessages({"m-9"}).ok());
  auto r = store.CanceledAll({{"m-1", "b-1"}, {"m-2", "b-2"}, {"m-9", ""}, {"m-3", ""}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<bool>{true, false, true, false}));
}

TEST(CancellationStoreTest, RedisDownIsUnavailable) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  CancellationStore store(pool);
  redis.Stop();
  EXPECT_EQ(store.CanceledAll({{"m", "b"}}).status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace smsflow::store
