// Client against a real redis-server: commands, pipelines, binary safety,
// scripts and NOSCRIPT recovery, AUTH and SELECT.
#include "lib/redis/client.h"

#include <gtest/gtest.h>

#include <string>

#include "lib/testing/redis_server.h"

namespace smsflow::redis {
namespace {

const Script kIncrScript("return redis.call('INCR', KEYS[1])");
// Fails on purpose when ARGV[1] is "fail", to check per-call error replies.
const Script kMaybeFail(
    "if ARGV[1] == 'fail' then return redis.error_reply('LIMITED by test') end "
    "return ARGV[1]");

class RedisClientTest : public ::testing::Test {
 protected:
  testing::RedisServer server_;
  Client client_{server_.options()};
};

TEST_F(RedisClientTest, CommandTypes) {
  EXPECT_FALSE(client_.connected());
  ASSERT_TRUE(client_.Ping().ok());
  EXPECT_TRUE(client_.connected());

  absl::StatusOr<Reply> set = client_.Command({"SET", "k", "v"});
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_TRUE(set->IsOk());
  EXPECT_EQ(client_.Command({"GET", "k"}).value(), Reply::MakeString("v"));
  EXPECT_TRUE(client_.Command({"GET", "missing"})->IsNil());
  EXPECT_EQ(client_.Command({"INCRBY", "n", "-5"}).value(), Reply::MakeInteger(-5));
  ASSERT_TRUE(client_.Command({"RPUSH", "l", "a", "b"}).ok());
  EXPECT_EQ(client_.Command({"LRANGE", "l", "0", "-1"}).value(),
            Reply::MakeArray({Reply::MakeString("a"), Reply::MakeString("b")}));
}

TEST_F(RedisClientTest, ErrorRepliesBecomeStatuses) {
  ASSERT_TRUE(client_.Command({"SET", "k", "v"}).ok());
  absl::StatusOr<Reply> wrong = client_.Command({"LPUSH", "k", "x"});
  EXPECT_TRUE(absl::IsFailedPrecondition(wrong.status())) << wrong.status();
  EXPECT_NE(wrong.status().message().find("WRONGTYPE"), std::string::npos);

  absl::StatusOr<Reply> unknown = client_.Command({"NOSUCHCOMMAND"});
  EXPECT_TRUE(absl::IsInternal(unknown.status())) << unknown.status();
  EXPECT_NE(unknown.status().message().find("unknown command"), std::string::npos);

  EXPECT_TRUE(absl::IsInvalidArgument(client_.Command({}).status()));
  // An error reply does not cost the connection.
  EXPECT_TRUE(client_.connected());
  EXPECT_TRUE(client_.Ping().ok());
}

TEST_F(RedisClientTest, BinarySafeKeysAndValues) {
  const std::string key("k\0ey\r\n", 6);
  std::string value("\0\r\n$3\r\nfoo\0", 12);
  value.push_back('\xff');
  ASSERT_TRUE(client_.Command({"SET", key, value}).ok());
  absl::StatusOr<Reply> got = client_.Command({"GET", key});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->str, value);
  EXPECT_EQ(client_.Command({"STRLEN", key})->integer, static_cast<int64_t>(value.size()));
  EXPECT_TRUE(client_.Command({"GET", "k"})->IsNil());  // the NUL is not a terminator
}

TEST_F(RedisClientTest, PipelineOfThousandCommands) {
  std::vector<Args> commands;
  for (int i = 0; i < 1000; ++i) {
    commands.push_back({"SET", "key:" + std::to_string(i), std::to_string(i * 7)});
  }
  absl::StatusOr<std::vector<Reply>> set = client_.Pipeline(commands);
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->size(), 1000u);
  for (const Reply& r : *set) EXPECT_TRUE(r.IsOk()) << r.DebugString();

  commands.clear();
  for (int i = 0; i < 1000; ++i) commands.push_back({"GET", "key:" + std::to_string(i)});
  absl::StatusOr<std::vector<Reply>> get = client_.Pipeline(commands);
  ASSERT_TRUE(get.ok()) << get.status();
  ASSERT_EQ(get->size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ((*get)[i].str, std::to_string(i * 7));

  EXPECT_TRUE(client_.Pipeline({}).value().empty());
}

TEST_F(RedisClientTest, PipelineKeepsPerCommandErrors) {
  absl::StatusOr<std::vector<Reply>> replies =
      client_.Pipeline({{"SET", "s", "x"}, {"INCR", "s"}, {"INCR", "n"}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_TRUE((*replies)[0].IsOk());
  EXPECT_TRUE((*replies)[1].IsError());
  EXPECT_EQ((*replies)[1].ErrorCode(), "ERR");
  EXPECT_EQ((*replies)[2], Reply::MakeInteger(1));
}

TEST_F(RedisClientTest, EvalLoadsScriptOnFirstUse) {
  EXPECT_EQ(client_.Command({"SCRIPT", "EXISTS", kIncrScript.sha()}).value(),
            Reply::MakeArray({Reply::MakeInteger(0)}));
  EXPECT_EQ(client_.Eval(kIncrScript, {"counter"}, {}).value(), Reply::MakeInteger(1));
  EXPECT_EQ(client_.Command({"SCRIPT", "EXISTS", kIncrScript.sha()}).value(),
            Reply::MakeArray({Reply::MakeInteger(1)}));
  EXPECT_EQ(client_.Eval(kIncrScript, {"counter"}, {}).value(), Reply::MakeInteger(2));
}

TEST_F(RedisClientTest, EvalRecoversFromScriptFlushWithoutRunningTwice) {
  ASSERT_EQ(client_.Eval(kIncrScript, {"counter"}, {}).value(), Reply::MakeInteger(1));
  ASSERT_TRUE(client_.Command({"SCRIPT", "FLUSH"}).ok());
  EXPECT_EQ(client_.Eval(kIncrScript, {"counter"}, {}).value(), Reply::MakeInteger(2));
  EXPECT_EQ(client_.Command({"GET", "counter"})->str, "2");
}

TEST_F(RedisClientTest, EvalErrorsBecomeStatuses) {
  absl::StatusOr<Reply> failed = client_.Eval(kMaybeFail, {}, {"fail"});
  EXPECT_TRUE(absl::IsInternal(failed.status())) << failed.status();
  EXPECT_NE(failed.status().message().find("LIMITED by test"), std::string::npos);
  EXPECT_EQ(client_.Eval(kMaybeFail, {}, {"fine"}).value(), Reply::MakeString("fine"));

  absl::StatusOr<Reply> broken = client_.Eval(Script("this is not lua"), {}, {});
  EXPECT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("compiling"), std::string::npos) << broken.status();
}

TEST_F(RedisClientTest, EvalPipelineRecoversFromScriptFlush) {
  std::vector<std::pair<Args, Args>> calls;
  for (int i = 0; i < 200; ++i) calls.push_back({{"c:" + std::to_string(i % 10)}, {}});

  for (int round = 1; round <= 3; ++round) {
    if (round == 2) {
      ASSERT_TRUE(client_.Command({"SCRIPT", "FLUSH"}).ok());
    }
    absl::StatusOr<std::vector<Reply>> replies = client_.EvalPipeline(kIncrScript, calls);
    ASSERT_TRUE(replies.ok()) << replies.status();
    ASSERT_EQ(replies->size(), calls.size());
    // Each key is hit 20 times per round, in order: exactly-once per call.
    for (int i = 0; i < 200; ++i) {
      EXPECT_EQ((*replies)[i], Reply::MakeInteger((round - 1) * 20 + i / 10 + 1)) << i;
    }
  }
  for (int k = 0; k < 10; ++k) {
    EXPECT_EQ(client_.Command({"GET", "c:" + std::to_string(k)})->str, "60");
  }
}

TEST_F(RedisClientTest, EvalPipelineKeepsPerCallErrors) {
  absl::StatusOr<std::vector<Reply>> replies =
      client_.EvalPipeline(kMaybeFail, {{{}, {"a"}}, {{}, {"fail"}}, {{}, {"b"}}});
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0], Reply::MakeString("a"));
  EXPECT_TRUE((*replies)[1].IsError());
  EXPECT_NE((*replies)[1].str.find("LIMITED by test"), std::string::npos);
  EXPECT_EQ((*replies)[2], Reply::MakeString("b"));
  EXPECT_TRUE(client_.EvalPipeline(kMaybeFail, {}).value().empty());
}

TEST_F(RedisClientTest, SelectsDatabase) {
  Options in_db3 = server_.options();
  in_db3.db = 3;
  Client other(in_db3);
  ASSERT_TRUE(other.Command({"SET", "where", "db3"}).ok());
  EXPECT_TRUE(client_.Command({"GET", "where"})->IsNil());
  EXPECT_EQ(other.Command({"GET", "where"})->str, "db3");
}

TEST_F(RedisClientTest, AuthenticatesWithPassword) {
  ASSERT_TRUE(client_.Command({"CONFIG", "SET", "requirepass", "s3cret"}).ok());
  Options good = server_.options();
  good.password = "s3cret";
  Client authed(good);
  EXPECT_TRUE(authed.Ping().ok());

  Options bad = good;
  bad.password = "wrong";
  Client rejected(bad);
  absl::Status status = rejected.Connect();
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_FALSE(rejected.connected());

  Client anonymous(server_.options());
  EXPECT_TRUE(absl::IsFailedPrecondition(anonymous.Command({"GET", "x"}).status()));
}

TEST(RedisClientOptions, RejectsImpossibleOptions) {
  Options bad_port;
  bad_port.port = 0;
  EXPECT_THROW(Client{bad_port}, std::invalid_argument);
  Options no_host;
  no_host.host = "";
  EXPECT_THROW(Client{no_host}, std::invalid_argument);
  Options negative;
  negative.command_timeout = std::chrono::milliseconds(-1);
  EXPECT_THROW(Client{negative}, std::invalid_argument);
}

}  // namespace
}  // namespace smsflow::redis
