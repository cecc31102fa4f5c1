#pragma once
// devkafka's command line.

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace smsflow::devkafka {

struct Options {
  int brokers = 1;
  int partitions = 4;
  std::string bootstrap_file;       // written atomically once the cluster is up
  std::vector<std::string> topics;  // created besides kafka::topics::All()
};

// Parses argv (without argv[0]'s program name being interpreted).
// INVALID_ARGUMENT naming the bad flag; "--help" yields NOT_FOUND with usage.
absl::StatusOr<Options> ParseOptions(const std::vector<std::string>& args);

inline constexpr char kUsage[] =
    "usage: devkafka [--brokers N] [--partitions P] [--bootstrap-file PATH] [--topic NAME]...\n"
    "Starts librdkafka's mock Kafka cluster on 127.0.0.1 with every smsflow topic\n"
    "(and each --topic), prints the bootstrap list on stdout and runs until\n"
    "SIGTERM or SIGINT.\n";

}  // namespace smsflow::devkafka
