#include "lib/store/provider_ids.h"

#include <gtest/gtest.h>

#include "lib/testing/redis_server.h"

namespace smsflow::store {
namespace {

TEST(ProviderIdIndexTest, PutThenLookupInOrderWithMisses) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ProviderIdIndex index(pool);
  ASSERT_TRUE(index
                  .PutAll({{{"sim", "p-1"}, {"m-1", "acme", 1, 2}},
                           {{"sim", "p-2"}, {"m-1", "acme", 2, 2}},
                           {{"twilio", "SM9"}, {"m-2", "globex", 0, 1}}})
                  .ok());
  auto r = index.LookupAll({{"sim", "p-2"}, {"sim", "nope"}, {"twilio", "SM9"}, {"twilio", "p-1"}});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 4u);
  ASSERT_TRUE((*r)[0].has_value());
  EXPECT_EQ((*r)[0]->message_id, "m-1");
  EXPECT_EQ((*r)[0]->part_number, 2);
  EXPECT_EQ((*r)[0]->part_count, 2);
  EXPECT_FALSE((*r)[1].has_value());
  EXPECT_EQ((*r)[2]->tenant_id, "globex");
  EXPECT_FALSE((*r)[3].has_value());  // same id, other provider
}

TEST(ProviderIdIndexTest, KeysOfDifferentProvidersNeverCollide) {
  EXPECT_NE(ProviderIdIndex::Key({"a:b", "c"}), ProviderIdIndex::Key({"a", "b:c"}));
}

}  // namespace
}  // namespace smsflow::store
