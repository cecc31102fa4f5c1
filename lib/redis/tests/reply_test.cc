#include "lib/redis/reply.h"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include "lib/redis/internal/hiredis_reply.h"

namespace smsflow::redis {
namespace {

redisReply Raw(int type, const std::string& text = {}, long long integer = 0) {
  redisReply r{};
  r.type = type;
  r.integer = integer;
  r.len = text.size();
  r.str = const_cast<char*>(text.data());
  return r;
}

TEST(RedisConvertReply, Scalars) {
  const std::string ok = "OK", err = "WRONGTYPE Operation against a key", bin("a\0b", 3);
  redisReply nil = Raw(REDIS_REPLY_NIL);
  redisReply status = Raw(REDIS_REPLY_STATUS, ok);
  redisReply error = Raw(REDIS_REPLY_ERROR, err);
  redisReply integer = Raw(REDIS_REPLY_INTEGER, {}, -42);
  redisReply string = Raw(REDIS_REPLY_STRING, bin);

  EXPECT_EQ(internal::ConvertReply(nil), Reply::MakeNil());
  EXPECT_EQ(internal::ConvertReply(status), Reply::MakeStatus("OK"));
  EXPECT_EQ(internal::ConvertReply(error), Reply::MakeError(err));
  EXPECT_EQ(internal::ConvertReply(integer), Reply::MakeInteger(-42));
  const Reply s = internal::ConvertReply(string);
  EXPECT_TRUE(s.IsString());
  EXPECT_EQ(s.str.size(), 3u);
  EXPECT_EQ(s.str, bin);
}

TEST(RedisConvertReply, NestedArray) {
  const std::string v = "v";
  redisReply one = Raw(REDIS_REPLY_INTEGER, {}, 1);
  redisReply str = Raw(REDIS_REPLY_STRING, v);
  redisReply nil = Raw(REDIS_REPLY_NIL);
  redisReply* inner_elems[] = {&str, &nil};
  redisReply inner = Raw(REDIS_REPLY_ARRAY);
  inner.elements = 2;
  inner.element = inner_elems;
  redisReply* outer_elems[] = {&one, &inner};
  redisReply outer = Raw(REDIS_REPLY_ARRAY);
  outer.elements = 2;
  outer.element = outer_elems;

  const Reply got = internal::ConvertReply(outer);
  EXPECT_EQ(got, Reply::MakeArray({Reply::MakeInteger(1),
                                   Reply::MakeArray({Reply::MakeString("v"), Reply::MakeNil()})}));
  EXPECT_EQ(got.DebugString(), "[(integer) 1, [\"v\", (nil)]]");
}

TEST(RedisConvertReply, EmptyArray) {
  redisReply empty = Raw(REDIS_REPLY_ARRAY);
  const Reply got = internal::ConvertReply(empty);
  EXPECT_TRUE(got.IsArray());
  EXPECT_TRUE(got.elements.empty());
}

TEST(RedisReply, Predicates) {
  EXPECT_TRUE(Reply{}.IsNil());
  EXPECT_TRUE(Reply::MakeStatus("OK").IsOk());
  EXPECT_FALSE(Reply::MakeString("OK").IsOk());
  EXPECT_TRUE(Reply::MakeError("ERR x").IsError());
  EXPECT_TRUE(Reply::MakeInteger(3).IsInteger());
  EXPECT_TRUE(Reply::MakeArray({}).IsArray());
  EXPECT_EQ(Reply::MakeError("NOSCRIPT No matching script").ErrorCode(), "NOSCRIPT");
  EXPECT_EQ(Reply::MakeError("LIMITED").ErrorCode(), "LIMITED");
  EXPECT_EQ(Reply::MakeString("NOSCRIPT x").ErrorCode(), "");
  EXPECT_EQ(Reply::MakeString(std::string("\0\n", 2)).DebugString(), "\"\\x00\\n\"");
}

TEST(RedisReply, ToStatusClassifiesErrors) {
  EXPECT_TRUE(Reply::MakeInteger(1).ToStatus().ok());
  EXPECT_TRUE(Reply::MakeNil().ToStatus().ok());

  const absl::Status wrongtype =
      Reply::MakeError("WRONGTYPE Operation against a key holding the wrong kind of value")
          .ToStatus();
  EXPECT_TRUE(absl::IsFailedPrecondition(wrongtype));
  EXPECT_NE(wrongtype.message().find("WRONGTYPE Operation against"), std::string::npos);

  EXPECT_TRUE(absl::IsInternal(ErrorReplyToStatus("ERR unknown command 'FOO'")));
  EXPECT_TRUE(absl::IsInternal(ErrorReplyToStatus("my script failed")));
  EXPECT_TRUE(absl::IsUnavailable(ErrorReplyToStatus("LOADING Redis is loading the dataset")));
  EXPECT_TRUE(absl::IsUnavailable(ErrorReplyToStatus("BUSY Redis is busy running a script")));
  EXPECT_TRUE(absl::IsUnavailable(ErrorReplyToStatus("READONLY You can't write")));
  EXPECT_TRUE(absl::IsResourceExhausted(ErrorReplyToStatus("OOM command not allowed")));
  EXPECT_TRUE(absl::IsFailedPrecondition(ErrorReplyToStatus("NOAUTH Authentication required.")));
  EXPECT_TRUE(absl::IsFailedPrecondition(ErrorReplyToStatus("NOSCRIPT No matching script.")));
}

}  // namespace
}  // namespace smsflow::redis
