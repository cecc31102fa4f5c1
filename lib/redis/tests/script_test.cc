#include "lib/redis/script.h"

#include <gtest/gtest.h>

namespace smsflow::redis {
namespace {

// Expected digests computed independently with `printf '<source>' | sha1sum`.
TEST(RedisScript, ShaMatchesSha1sum) {
  const Script script("return 1");
  EXPECT_EQ(script.sha(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
  EXPECT_EQ(script.source(), "return 1");
  EXPECT_EQ(Script("return redis.call(\"INCR\", KEYS[1])").sha(),
            "f793247de6e1e3c553cd42d39c812df499e679e4");
}

TEST(RedisScript, ShaOfEmptySource) {
  EXPECT_EQ(Sha1Hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

}  // namespace
}  // namespace smsflow::redis
