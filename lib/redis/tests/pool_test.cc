// Pool against a real redis-server: concurrency, waiting, lease hand-back.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "lib/redis/client.h"
#include "lib/testing/redis_server.h"

namespace smsflow::redis {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Connections the server has accepted so far, from INFO stats.
int64_t ConnectionsReceived(Pool& pool) {
  absl::StatusOr<Pool::Lease> lease = pool.Acquire();
  if (!lease.ok()) return -1;
  absl::StatusOr<Reply> info = (*lease)->Command({"INFO", "stats"});
  if (!info.ok()) return -1;
  constexpr std::string_view kField = "total_connections_received:";
  const size_t at = info->str.find(kField);
  return at == std::string::npos ? -1 : std::stoll(info->str.substr(at + kField.size()));
}

TEST(RedisPool, ConcurrentIncrGivesExactTotal) {
  testing::RedisServer server;
  Pool pool(server.options(), 3);
  const int64_t connections_before = ConnectionsReceived(pool);  // opens one pooled client
  ASSERT_GT(connections_before, 0);

  constexpr int kThreads = 6;
  constexpr int kPerThread = 300;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        absl::StatusOr<Pool::Lease> lease = pool.Acquire(milliseconds(10000));
        if (!lease.ok() || !(*lease)->Command({"INCR", "total"}).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  absl::StatusOr<Pool::Lease> lease = pool.Acquire();
  ASSERT_TRUE(lease.ok()) << lease.status();
  EXPECT_EQ((*lease)->Command({"GET", "total"})->str, std::to_string(kThreads * kPerThread));
  lease = absl::CancelledError("released");
  // Clients are reused: at most the two not yet connected were opened since.
  EXPECT_LE(ConnectionsReceived(pool) - connections_before, 2);
}

TEST(RedisPool, AcquireTimesOutWithUnavailable) {
  testing::RedisServer server;
  Pool pool(server.options(), 1);
  absl::StatusOr<Pool::Lease> held = pool.Acquire();
  ASSERT_TRUE(held.ok());

  const auto start = Clock::now();
  absl::StatusOr<Pool::Lease> second = pool.Acquire(milliseconds(100));
  const auto took = Clock::now() - start;
  EXPECT_TRUE(absl::IsUnavailable(second.status())) << second.status();
  EXPECT_GE(took, milliseconds(100));
  EXPECT_LT(took, milliseconds(5000));

  held = absl::UnavailableError("dropped");  // destroys the lease: client returns
  EXPECT_TRUE(pool.Acquire(milliseconds(100)).ok());
}

TEST(RedisPool, WaiterGetsReleasedClient) {
  testing::RedisServer server;
  Pool pool(server.options(), 1);
  std::optional<absl::StatusOr<Pool::Lease>> held(pool.Acquire());
  ASSERT_TRUE(held->ok());
  absl::Status waiter_status;
  std::thread waiter([&] {
    absl::StatusOr<Pool::Lease> lease = pool.Acquire(milliseconds(30000));
    waiter_status = lease.ok() ? (*lease)->Ping() : lease.status();
  });
  held.reset();
  waiter.join();
  EXPECT_TRUE(waiter_status.ok()) << waiter_status;
}

TEST(RedisPool, MovedLeaseReturnsClientOnce) {
  testing::RedisServer server;
  Pool pool(server.options(), 1);
  {
    absl::StatusOr<Pool::Lease> a = pool.Acquire();
    ASSERT_TRUE(a.ok());
    Pool::Lease b = std::move(*a);
    Pool::Lease c = std::move(b);
    EXPECT_TRUE(c->Ping().ok());
    EXPECT_TRUE(absl::IsUnavailable(pool.Acquire(milliseconds(10)).status()));
  }
  absl::StatusOr<Pool::Lease> first = pool.Acquire(milliseconds(100));
  ASSERT_TRUE(first.ok());
  // Had the moved-from leases returned the client too, this would succeed.
  EXPECT_TRUE(absl::IsUnavailable(pool.Acquire(milliseconds(10)).status()));
}

TEST(RedisPool, PingReflectsServerHealth) {
  testing::RedisServer server;
  Pool pool(server.options(), 2);
  EXPECT_TRUE(pool.Ping().ok());
  server.Stop();
  EXPECT_TRUE(absl::IsUnavailable(pool.Ping()));
  server.Start();
  EXPECT_TRUE(pool.Ping().ok());
  server.Restart();
  EXPECT_TRUE(pool.Ping().ok());  // the stale connection is retried once
  EXPECT_TRUE(pool.Ping().ok());
}

TEST(RedisPool, RejectsEmptyPool) { EXPECT_THROW(Pool(Options{}, 0), std::invalid_argument); }

}  // namespace
}  // namespace smsflow::redis
