// Client behaviour when the server goes away, comes back, or hangs.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "lib/redis/client.h"
#include "lib/testing/redis_server.h"
#include "lib/testing/wait.h"

namespace smsflow::redis {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// connect_timeout + command_timeout of RedisServer::options(), plus slack for
// a loaded machine.
constexpr milliseconds kFailFastBound(3000);

TEST(RedisOutage, ReconnectsAfterRestart) {
  testing::RedisServer server;
  Client client(server.options());
  ASSERT_TRUE(client.Command({"SET", "k", "v"}).ok());

  server.Restart();
  int failures = 0;
  absl::Status last_failure;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        absl::StatusOr<Reply> r = client.Command({"INCR", "n"});
        if (r.ok()) return true;
        ++failures;
        last_failure = r.status();
        EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
        return false;
      },
      std::chrono::seconds(10)))
      << last_failure;
  EXPECT_LE(failures, 1) << "only the call on the dead connection should fail";
  // The restarted server has no data (no persistence); the client works on.
  EXPECT_TRUE(client.Command({"GET", "k"})->IsNil());
  EXPECT_EQ(client.Command({"INCR", "n"}).value(), Reply::MakeInteger(2));
}

TEST(RedisOutage, CallsDuringStopFailFastWithUnavailable) {
  testing::RedisServer server;
  Client client(server.options());
  Client fresh(server.options());
  ASSERT_TRUE(client.Ping().ok());

  server.Stop();
  for (Client* c : {&client, &fresh}) {
    for (int i = 0; i < 3; ++i) {
      const auto start = Clock::now();
      absl::StatusOr<Reply> r = c->Command({"GET", "k"});
      EXPECT_LT(Clock::now() - start, kFailFastBound);
      EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
      EXPECT_NE(r.status().message().find(std::to_string(server.port())), std::string::npos);
      EXPECT_FALSE(c->connected());
    }
  }
  const auto start = Clock::now();
  EXPECT_TRUE(absl::IsUnavailable(client.Pipeline({{"PING"}, {"PING"}}).status()));
  EXPECT_TRUE(absl::IsUnavailable(client.Eval(Script("return 1"), {}, {}).status()));
  EXPECT_LT(Clock::now() - start, kFailFastBound);

  server.Start();
  EXPECT_TRUE(testing::WaitFor([&] { return client.Ping().ok(); }, std::chrono::seconds(10)));
  EXPECT_TRUE(fresh.Ping().ok());
}

TEST(RedisOutage, HungServerTimesOutWithUnavailable) {
  testing::RedisServer server;
  Options options = server.options();
  options.command_timeout = milliseconds(200);
  Client client(options);
  ASSERT_TRUE(client.Ping().ok());

  server.Pause();
  const auto start = Clock::now();
  absl::StatusOr<Reply> r = client.Command({"PING"});
  const auto took = Clock::now() - start;
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  EXPECT_GE(took, milliseconds(150));
  EXPECT_LT(took, kFailFastBound);
  EXPECT_FALSE(client.connected());

  server.Resume();
  EXPECT_TRUE(testing::WaitFor([&] { return client.Ping().ok(); }, std::chrono::seconds(10)));
}

// Writing a large pipeline into a connection whose server died makes write(2)
// fail with EPIPE; the process must survive (no SIGPIPE) and see UNAVAILABLE.
TEST(RedisOutage, LargeWriteToDeadConnectionDoesNotRaiseSigpipe) {
  testing::RedisServer server;
  Client client(server.options());
  ASSERT_TRUE(client.Ping().ok());
  server.Restart();

  const std::string big(64 * 1024, 'x');
  std::vector<Args> commands(256, Args{"SET", "big", big});  // 16 MiB in one go
  absl::StatusOr<std::vector<Reply>> r = client.Pipeline(commands);
  EXPECT_TRUE(absl::IsUnavailable(r.status())) << r.status();
  EXPECT_TRUE(testing::WaitFor([&] { return client.Ping().ok(); }, std::chrono::seconds(10)));
}

}  // namespace
}  // namespace smsflow::redis
