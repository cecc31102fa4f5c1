#include "lib/store/idempotency.h"

#include <gtest/gtest.h>

#include "lib/testing/redis_server.h"
#include "lib/testing/wait.h"

namespace smsflow::store {
namespace {

using Kind = ClaimResult::Kind;

class IdempotencyTest : public ::testing::Test {
 protected:
  testing::RedisServer redis_;
  redis::Pool pool_{redis_.options(), 2};
};

TEST_F(IdempotencyTest, FirstClaimOwnsLaterOnesSeeInFlightThenDuplicate) {
  IdempotencyStore store(pool_, "t:", std::chrono::hours(24), std::chrono::hours(1));
  auto first = store.ClaimAll({{"k1", "id-1"}, {"k2", "id-2"}});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)[0].kind, Kind::kNew);
  EXPECT_EQ((*first)[1].value, "id-2");

  auto again = store.ClaimAll({{"k1", "id-9"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].kind, Kind::kInFlight);
  EXPECT_EQ((*again)[0].value, "id-1");

  ASSERT_TRUE(store.CompleteAll({{"k1", "id-1"}}).ok());
  auto dup = store.ClaimAll({{"k1", "id-10"}});
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ((*dup)[0].kind, Kind::kDuplicate);
  EXPECT_EQ((*dup)[0].value, "id-1");
}

TEST_F(IdempotencyTest, ReleasedClaimCanBeClaimedAgainWithANewValue) {
  IdempotencyStore store(pool_, "t:", std::chrono::hours(24), std::chrono::hours(1));
  ASSERT_TRUE(store.ClaimAll({{"k", "id-1"}}).ok());
  ASSERT_TRUE(store.ReleaseAll({{"k", "id-1"}}).ok());
  auto again = store.ClaimAll({{"k", "id-2"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].kind, Kind::kNew);
  EXPECT_EQ((*again)[0].value, "id-2");
}

TEST_F(IdempotencyTest, ReleaseOrCompleteWithAnotherValueChangesNothing) {
  IdempotencyStore store(pool_, "t:", std::chrono::hours(24), std::chrono::hours(1));
  ASSERT_TRUE(store.ClaimAll({{"k", "id-1"}}).ok());
  ASSERT_TRUE(store.ReleaseAll({{"k", "id-other"}}).ok());
  ASSERT_TRUE(store.CompleteAll({{"k", "id-other"}}).ok());
  auto again = store.ClaimAll({{"k", "id-2"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].kind, Kind::kInFlight);
}

TEST_F(IdempotencyTest, SilentOwnerIsTakenOverKeepingTheOriginalValue) {
  IdempotencyStore store(pool_, "t:", std::chrono::hours(24), std::chrono::milliseconds(50));
  ASSERT_TRUE(store.ClaimAll({{"k", "id-1"}}).ok());
  // Waits for the takeover period to pass, as seen by the store itself.
  absl::StatusOr<std::vector<ClaimResult>> r;
  ASSERT_TRUE(testing::WaitFor([&] {
    r = store.ClaimAll({{"k", "id-2"}});
    return r.ok() && (*r)[0].kind == Kind::kTakenOver;
  }));
  EXPECT_EQ((*r)[0].value, "id-1");
  EXPECT_TRUE((*r)[0].owned());
}

TEST_F(IdempotencyTest, ClaimsExpireAfterTtl) {
  IdempotencyStore store(pool_, "t:", std::chrono::milliseconds(100), std::chrono::hours(1));
  ASSERT_TRUE(store.ClaimAll({{"k", "id-1"}}).ok());
  ASSERT_TRUE(store.CompleteAll({{"k", "id-1"}}).ok());
  ASSERT_TRUE(testing::WaitFor([&] {
    auto r = store.ClaimAll({{"k", "id-2"}});
    return r.ok() && (*r)[0].kind == Kind::kNew;
  }));
}

TEST_F(IdempotencyTest, ThousandClaimsInOneCall) {
  IdempotencyStore store(pool_, "t:", std::chrono::hours(24), std::chrono::hours(1));
  std::vector<Claim> claims;
  for (int i = 0; i < 1000; ++i)
    claims.push_back({"k" + std::to_string(i % 500), "v" + std::to_string(i)});
  auto r = store.ClaimAll(claims);
  ASSERT_TRUE(r.ok());
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ((*r)[i].kind, i < 500 ? Kind::kNew : Kind::kInFlight) << i;
  }
}

TEST_F(IdempotencyTest, RedisDownIsUnavailable) {
  IdempotencyStore store(pool_, "t:", std::chrono::hours(24), std::chrono::hours(1));
  redis_.Stop();
  auto r = store.ClaimAll({{"k", "id"}});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace smsflow::store
