#include "lib/consent_view/consent_view.h"

#include <gtest/gtest.h>

#include "lib/testing/redis_server.h"

namespace smsflow::consentview {
namespace {

VersionedState State(const std::string& scope, bool opted_out, int64_t version) {
  VersionedState vs;
  vs.state.set_tenant_id("acme");
  vs.state.set_sender_scope(scope);
  vs.state.set_recipient("+14155550123");
  vs.state.set_opted_out(opted_out);
  vs.version = version;
  return vs;
}

TEST(ConsentViewTest, PutGetAndOptedOutPerScope) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  ASSERT_TRUE(view.PutAll({State("main", true, 5), State("alerts", false, 6)}).ok());
  const ConsentKey main{"acme", "main", "+14155550123"};
  const ConsentKey alerts{"acme", "alerts", "+14155550123"};
  const ConsentKey other_tenant{"globex", "main", "+14155550123"};
  auto opted = view.OptedOutAll({main, alerts, other_tenant});
  ASSERT_TRUE(opted.ok()) << opted.status();
  EXPECT_EQ(*opted, (std::vector<bool>{true, false, false}));
  auto states = view.GetAll({main, other_tenant});
  ASSERT_TRUE(states.ok());
  ASSERT_TRUE((*states)[0].has_value());
  EXPECT_EQ((*states)[0]->version, 5);
  EXPECT_FALSE((*states)[1].has_value());
}

TEST(ConsentViewTest, OlderVersionNeverReplacesNewer) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  ASSERT_TRUE(view.PutAll({State("main", true, 10)}).ok());
  ASSERT_TRUE(view.PutAll({State("main", false, 9)}).ok());   // late replay
  ASSERT_TRUE(view.PutAll({State("main", false, 10)}).ok());  // duplicate
  auto opted = view.OptedOutAll({{"acme", "main", "+14155550123"}});
  ASSERT_TRUE(opted.ok());
  EXPECT_TRUE((*opted)[0]);
  ASSERT_TRUE(view.PutAll({State("main", false, 11)}).ok());
  EXPECT_FALSE((*view.OptedOutAll({{"acme", "main", "+14155550123"}}))[0]);
}

TEST(ConsentViewTest, ScopesThatLookAlikeDoNotCollide) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  EXPECT_NE(view.RedisKey({"a", "b|c", "d"}), view.RedisKey({"a", "b", "c|d"}));
}

TEST(ConsentViewTest, RedisDownIsUnavailableNotAGuess) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  redis.Stop();
  EXPECT_EQ(view.OptedOutAll({{"acme", "main", "+1"}}).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace smsflow::consentview
