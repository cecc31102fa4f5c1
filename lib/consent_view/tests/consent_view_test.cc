#include "lib/consent_view/consent_view.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/testing/redis_server.h"
#include "lib/testing/wait.h"

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

// What a restore does once it has replayed the ledger (the fixtures of the
// services that read the view do the same in their setup).
void MarkReady(ConsentView& view) {
  ASSERT_TRUE(*view.BeginRestore("test-restore", std::chrono::seconds(60)));
  ASSERT_TRUE(view.MarkReady("test-restore").ok());
}

absl::StatusOr<redis::Reply> RedisCommand(redis::Pool& pool, const redis::Args& args) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  return (*lease)->Command(args);
}

// "name" -> calls, from INFO commandstats.
std::map<std::string, int> CommandCalls(redis::Pool& pool) {
  std::map<std::string, int> out;
  auto info = RedisCommand(pool, {"INFO", "commandstats"});
  EXPECT_TRUE(info.ok()) << info.status();
  if (!info.ok()) return out;
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    // cmdstat_mget:calls=1,usec=...
    if (!absl::ConsumePrefix(&line, "cmdstat_")) continue;
    const size_t colon = line.find(":calls=");
    const size_t comma = line.find(',');
    if (colon == absl::string_view::npos || comma == absl::string_view::npos) continue;
    int calls = 0;
    if (absl::SimpleAtoi(line.substr(colon + 7, comma - colon - 7), &calls)) {
      out[std::string(line.substr(0, colon))] = calls;
    }
  }
  return out;
}

TEST(ConsentViewTest, PutGetAndOptedOutPerScope) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  MarkReady(view);
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
  MarkReady(view);
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
  MarkReady(view);
  redis.Stop();
  EXPECT_EQ(view.OptedOutAll({{"acme", "main", "+1"}}).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(ConsentViewTest, ReadyMarkerIsReadInTheSameMget) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  MarkReady(view);
  ASSERT_TRUE(view.PutAll({State("main", true, 5)}).ok());
  ASSERT_TRUE(RedisCommand(pool, {"CONFIG", "RESETSTAT"}).ok());
  auto opted = view.OptedOutAll({{"acme", "main", "+14155550123"}, {"acme", "x", "+1"}});
  ASSERT_TRUE(opted.ok()) << opted.status();
  EXPECT_EQ(*opted, (std::vector<bool>{true, false}));
  std::map<std::string, int> calls = CommandCalls(pool);
  // Only the MGET ran (besides the RESETSTAT itself, "config|resetstat" in
  // Redis 7, and the INFO that reads the stats).
  std::erase_if(calls, [](const auto& c) {
    return absl::StartsWith(c.first, "config") || c.first == "info";
  });
  EXPECT_EQ(calls, (std::map<std::string, int>{{"mget", 1}}));
}

TEST(ConsentViewTest, MissingMarkerIsUnavailableNotNoState) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  ASSERT_TRUE(view.PutAll({State("main", true, 5)}).ok());
  const ConsentKey key{"acme", "main", "+14155550123"};
  // Never marked ready: even a stored opt-out is not trusted to be complete.
  auto states = view.GetAll({key});
  EXPECT_EQ(states.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(states.status().message(),
            "consent view: not ready (lost or being rebuilt from sms.consent.v1)");
  EXPECT_EQ(view.OptedOutAll({key}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(*view.IsReady());
  // The appliers that build the view still read what is stored.
  auto stored = view.GetAllStored({key});
  ASSERT_TRUE(stored.ok() && (*stored)[0].has_value());
  EXPECT_EQ((*stored)[0]->version, 5);

  MarkReady(view);
  EXPECT_TRUE(*view.IsReady());
  EXPECT_TRUE((*view.OptedOutAll({key}))[0]);

  // Redis loses its data: the opt-out is gone, and so is the marker, so the
  // readers hear "not ready" rather than "no state".
  ASSERT_TRUE(RedisCommand(pool, {"FLUSHALL"}).ok());
  EXPECT_EQ(view.OptedOutAll({key}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(*view.IsReady());
}

TEST(ConsentViewTest, FlushDuringRestoreRefusesWritesAndReadiness) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  ASSERT_TRUE(*view.BeginRestore("restore-1", std::chrono::seconds(60)));
  // One claim at a time.
  EXPECT_FALSE(*view.BeginRestore("restore-2", std::chrono::seconds(60)));
  ASSERT_TRUE(view.PutAllForRestore({State("main", true, 5)}, "restore-1").ok());
  EXPECT_EQ(view.PutAllForRestore({State("alerts", true, 6)}, "restore-2").code(),
            absl::StatusCode::kAborted);

  ASSERT_TRUE(RedisCommand(pool, {"FLUSHALL"}).ok());  // mid-way
  // The rest of the replay would fold events over missing states: refused.
  EXPECT_EQ(view.PutAllForRestore({State("main", false, 7)}, "restore-1").code(),
            absl::StatusCode::kAborted);
  auto stored = view.GetAllStored({{"acme", "main", "+14155550123"}});
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE((*stored)[0].has_value());
  EXPECT_FALSE(*view.RenewRestore("restore-1", std::chrono::seconds(60)));
  absl::Status marked = view.MarkReady("restore-1");
  EXPECT_EQ(marked.code(), absl::StatusCode::kAborted);
  EXPECT_NE(std::string(marked.message()).find("flushed"), std::string::npos) << marked;
  EXPECT_FALSE(*view.IsReady());

  // Starting again works, and marks ready once done.
  ASSERT_TRUE(*view.BeginRestore("restore-3", std::chrono::seconds(60)));
  ASSERT_TRUE(view.PutAllForRestore({State("main", true, 5)}, "restore-3").ok());
  ASSERT_TRUE(view.MarkReady("restore-3").ok());
  EXPECT_TRUE(*view.IsReady());
  EXPECT_TRUE((*view.OptedOutAll({{"acme", "main", "+14155550123"}}))[0]);
  EXPECT_TRUE(RedisCommand(pool, {"GET", view.RebuildingKey()})->IsNil());  // claim released
}

TEST(ConsentViewTest, ClaimOfADeadRestorerExpires) {
  testing::RedisServer redis;
  redis::Pool pool(redis.options(), 1);
  ConsentView view(pool);
  ASSERT_TRUE(*view.BeginRestore("dead", std::chrono::milliseconds(200)));
  ASSERT_TRUE(testing::WaitFor([&] { return *view.BeginRestore("next", std::chrono::seconds(60)); },
                               std::chrono::seconds(10)));
  EXPECT_FALSE(*view.RenewRestore("dead", std::chrono::seconds(60)));
  EXPECT_TRUE(*view.RenewRestore("next", std::chrono::seconds(60)));
  EXPECT_EQ(view.MarkReady("dead").code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(view.MarkReady("next").ok());
}

}  // namespace
}  // namespace smsflow::consentview
