#include "lib/config/loader.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

extern char** environ;

namespace smsflow::config {

ConfigLoader::ConfigLoader(std::string service)
    : service_(std::move(service)), app_(std::make_unique<CLI::App>("smsflow " + service_)) {
  app_->allow_config_extras(false);
}

ConfigLoader::~ConfigLoader() = default;

std::string ConfigLoader::EnvName(std::string_view flag) {
  return "SMSFLOW_" + absl::AsciiStrToUpper(absl::StrReplaceAll(std::string(flag), {{"-", "_"}}));
}

void ConfigLoader::Register(std::string_view name) { known_env_.push_back(EnvName(name)); }

void ConfigLoader::AddServer(ServerConfig* cfg, int default_grpc_port, int default_metrics_port) {
  cfg->grpc_address = absl::StrCat("0.0.0.0:", default_grpc_port);
  cfg->metrics_address = absl::StrCat("0.0.0.0:", default_metrics_port);
  AddString("grpc-address", &cfg->grpc_address, "gRPC listen address host:port (port 0: any)");
  AddString("metrics-address", &cfg->metrics_address,
            "Prometheus /metrics listen address host:port (port 0: any)");
  AddString("log-level", &cfg->log_level, "debug, info, warn or error");
  AddMillis("shutdown-grace-ms", &cfg->shutdown_grace,
            "time in-flight RPCs get to finish after SIGTERM");
  AddString("ready-file", &cfg->ready_file,
            "write the bound ports as JSON to this file once serving");
}

void ConfigLoader::AddKafka(KafkaConfig* cfg) {
  kafka_ = cfg;
  AddString("kafka-brokers", &cfg->brokers, "Kafka bootstrap servers host:port[,host:port]");
  AddMillis("kafka-delivery-timeout-ms", &cfg->delivery_timeout,
            "a produce not acknowledged by the brokers within this fails");
  AddString("kafka-consumer-group", &cfg->consumer_group,
            "consumer group id (default smsflow-<service>)");
}

void ConfigLoader::AddRedis(RedisConfig* cfg) {
  AddString("redis-address", &cfg->address, "Redis host:port");
  AddInt("redis-pool-size", &cfg->pool_size, "connections in the Redis pool");
  AddMillis("redis-timeout-ms", &cfg->timeout, "Redis connect and command timeout");
}

void ConfigLoader::AddTenantsFile(std::string* path, bool required) {
  AddString("tenants-file", path, "tenants YAML: tenants, numbers, brands", required);
}

void ConfigLoader::AddString(std::string_view name, std::string* value, std::string_view help,
                             bool required) {
  auto* opt = app_->add_option("--" + std::string(name), *value, std::string(help));
  opt->capture_default_str();
  // Checked after parsing rather than by CLI11, so that an unknown flag is
  // reported before a missing one.
  if (required) required_.emplace_back(std::string(name), value);
  Register(name);
}

void ConfigLoader::AddInt(std::string_view name, int* value, std::string_view help) {
  app_->add_option("--" + std::string(name), *value, std::string(help))->capture_default_str();
  Register(name);
}

void ConfigLoader::AddDouble(std::string_view name, double* value, std::string_view help) {
  app_->add_option("--" + std::string(name), *value, std::string(help))->capture_default_str();
  Register(name);
}

void ConfigLoader::AddBool(std::string_view name, bool* value, std::string_view help) {
  app_->add_option("--" + std::string(name), *value, std::string(help))->capture_default_str();
  Register(name);
}

void ConfigLoader::AddMillis(std::string_view name, std::chrono::milliseconds* value,
                             std::string_view help) {
  auto holder = std::make_unique<int64_t>(value->count());
  app_->add_option("--" + std::string(name), *holder, std::string(help))
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  millis_.emplace_back(value, std::move(holder));
  Register(name);
}

void ConfigLoader::SetEnvironmentForTesting(std::vector<std::string> entries) {
  env_ = std::move(entries);
  env_overridden_ = true;
}

absl::Status ConfigLoader::CheckEnvironment() const {
  const std::set<std::string> known(known_env_.begin(), known_env_.end());
  for (const std::string& entry : env_) {
    const std::string name = entry.substr(0, entry.find('='));
    if (absl::StartsWith(name, "SMSFLOW_") && !known.contains(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown environment variable ", name, " (smsflow-", service_,
                       " does not read it; run with --help for the variables it knows)"));
    }
  }
  return absl::OkStatus();
}

absl::Status ConfigLoader::Parse(int argc, const char* const* argv, std::string* help_text) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return Parse(args, help_text);
}

absl::Status ConfigLoader::Parse(const std::vector<std::string>& args, std::string* help_text) {
  if (!env_overridden_) {
    env_.clear();
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) env_.emplace_back(*e);
  }
  if (auto st = CheckEnvironment(); !st.ok()) return st;

  // Environment values become flags placed before the real ones, for flags
  // the command line does not set: a flag always wins over the environment.
  std::vector<std::string> merged;
  for (const std::string& entry : env_) {
    const size_t eq = entry.find('=');
    const std::string name = entry.substr(0, eq);
    if (!absl::StartsWith(name, "SMSFLOW_")) continue;
    const std::string flag =
        "--" + absl::AsciiStrToLower(absl::StrReplaceAll(name.substr(8), {{"_", "-"}}));
    bool on_command_line = false;
    for (const std::string& a : args) {
      if (a == flag || absl::StartsWith(a, flag + "=")) on_command_line = true;
    }
    if (!on_command_line) merged.push_back(flag + "=" + entry.substr(eq + 1));
  }
  merged.insert(merged.end(), args.begin(), args.end());

  // CLI11 wants the arguments in reverse order when given a vector.
  std::vector<std::string> reversed(merged.rbegin(), merged.rend());
  try {
    app_->parse(reversed);
  } catch (const CLI::CallForHelp&) {
    if (help_text != nullptr) *help_text = app_->help();
    return absl::OkStatus();
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    for (const std::string& m : merged) {
      // Name the environment variable when the bad value came from it.
      const std::string flag = m.substr(0, m.find('='));
      if (absl::StrContains(what, flag) && std::find(args.begin(), args.end(), m) == args.end()) {
        what += absl::StrCat(" (from environment variable ", EnvName(flag.substr(2)), ")");
        break;
      }
    }
    return absl::InvalidArgumentError("configuration: " + what);
  }
  for (const auto& [name, value] : required_) {
    if (value->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("configuration: --", name, " (or ", EnvName(name), ") is required"));
    }
  }
  for (auto& [target, holder] : millis_) *target = std::chrono::milliseconds(*holder);
  if (kafka_ != nullptr && kafka_->consumer_group.empty()) {
    kafka_->consumer_group = "smsflow-" + service_;
  }
  return absl::OkStatus();
}

}  // namespace smsflow::config
