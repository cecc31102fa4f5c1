#include "tools/devkafka/options.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace smsflow::devkafka {
namespace {

absl::StatusOr<int> PositiveInt(const std::string& flag, const std::string& text, int max) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < 1 || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": expected an integer in [1, ", max, "], got '", text, "'"));
  }
  return value;
}

}  // namespace

absl::StatusOr<Options> ParseOptions(const std::vector<std::string>& args) {
  Options options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") return absl::NotFoundError(kUsage);
    std::string value;
    std::string name = flag;
    if (auto eq = flag.find('='); flag.starts_with("--") && eq != std::string::npos) {
      name = flag.substr(0, eq);
      value = flag.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat(flag, ": missing value"));
    }
    if (name == "--brokers") {
      absl::StatusOr<int> n = PositiveInt(name, value, 16);
      if (!n.ok()) return n.status();
      options.brokers = *n;
    } else if (name == "--partitions") {
      absl::StatusOr<int> n = PositiveInt(name, value, 1000);
      if (!n.ok()) return n.status();
      options.partitions = *n;
    } else if (name == "--bootstrap-file") {
      options.bootstrap_file = value;
    } else if (name == "--topic") {
      if (value.empty()) return absl::InvalidArgumentError("--topic: empty name");
      options.topics.push_back(value);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag '", name, "'\n", kUsage));
    }
  }
  return options;
}

}  // namespace smsflow::devkafka
