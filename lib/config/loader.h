#pragma once
// ConfigLoader: one typed config per service from command-line flags and
// SMSFLOW_* environment variables. Each flag --foo-bar has the environment
// variable SMSFLOW_FOO_BAR; a flag wins over the environment. Parsing fails
// with a message naming the offending flag or variable: an unknown flag, an
// unknown SMSFLOW_* variable, a value of the wrong type, a missing required
// value. Single-threaded; used once in main() or in a test.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "lib/config/common.h"

namespace CLI {
class App;
}

namespace smsflow::config {

class ConfigLoader {
 public:
  // `service` names the binary in help text and the default consumer group.
  explicit ConfigLoader(std::string service);
  ~ConfigLoader();

  // Registers --grpc-address, --metrics-address, --log-level,
  // --shutdown-grace-ms and --ready-file with the given default ports.
  void AddServer(ServerConfig* cfg, int default_grpc_port, int default_metrics_port);
  void AddKafka(KafkaConfig* cfg);
  void AddRedis(RedisConfig* cfg);
  // --tenants-file: path of the tenants YAML (see tenants.h).
  void AddTenantsFile(std::string* path, bool required);

  // Service-specific options; `name` is the flag without leading dashes.
  void AddString(std::string_view name, std::string* value, std::string_view help,
                 bool required = false);
  void AddInt(std::string_view name, int* value, std::string_view help);
  void AddDouble(std::string_view name, double* value, std::string_view help);
  void AddBool(std::string_view name, bool* value, std::string_view help);
  void AddMillis(std::string_view name, std::chrono::milliseconds* value, std::string_view help);

  // Parses flags and the environment. Returns OK, or INVALID_ARGUMENT naming
  // the bad key. When --help was asked for, sets *help_text and returns OK;
  // the caller prints it and exits 0.
  absl::Status Parse(int argc, const char* const* argv, std::string* help_text = nullptr);
  absl::Status Parse(const std::vector<std::string>& args, std::string* help_text = nullptr);

  // The environment to read; tests inject their own instead of setenv().
  void SetEnvironmentForTesting(std::vector<std::string> entries);

  static std::string EnvName(std::string_view flag);

 private:
  void Register(std::string_view name);
  absl::Status CheckEnvironment() const;

  std::string service_;
  std::unique_ptr<CLI::App> app_;
  std::vector<std::string> known_env_;
  std::vector<std::string> env_;  // "NAME=value"
  bool env_overridden_ = false;
  KafkaConfig* kafka_ = nullptr;
  std::vector<std::pair<std::chrono::milliseconds*, std::unique_ptr<int64_t>>> millis_;
  std::vector<std::pair<std::string, std::string*>> required_;
};

}  // namespace smsflow::config
