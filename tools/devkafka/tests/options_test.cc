#include "tools/devkafka/options.h"

#include <gtest/gtest.h>

namespace smsflow::devkafka {
namespace {

TEST(DevKafkaOptions, Defaults) {
  absl::StatusOr<Options> options = ParseOptions({});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->brokers, 1);
  EXPECT_EQ(options->partitions, 4);
  EXPECT_TRUE(options->bootstrap_file.empty());
  EXPECT_TRUE(options->topics.empty());
}

TEST(DevKafkaOptions, AllFlagsBothSpellings) {
  absl::StatusOr<Options> options =
      ParseOptions({"--brokers", "3", "--partitions=8", "--bootstrap-file", "/tmp/b", "--topic",
                    "a", "--topic=b"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->brokers, 3);
  EXPECT_EQ(options->partitions, 8);
  EXPECT_EQ(options->bootstrap_file, "/tmp/b");
  EXPECT_EQ(options->topics, (std::vector<std::string>{"a", "b"}));
}

TEST(DevKafkaOptions, RejectsBadInput) {
  EXPECT_TRUE(absl::IsInvalidArgument(ParseOptions({"--brokers", "0"}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseOptions({"--partitions", "x"}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseOptions({"--bogus", "1"}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseOptions({"--topic"}).status()));
  EXPECT_TRUE(absl::IsNotFound(ParseOptions({"--help"}).status()));
}

}  // namespace
}  // namespace smsflow::devkafka
