#pragma once
// ServiceRuntime: the parts every smsflow binary has, wired the same way, so a
// service's main.cpp only adds its own options, services and consumers.
//
// Owns (in construction order): config, logging, the Prometheus registry and
// /metrics listener, the tenant directory, the Kafka producer, the Redis pool
// and the gRPC ServiceHost. Serve() blocks until SIGTERM/SIGINT and then shuts
// down in the order STYLE.md gives (see Serve()). Single-threaded use from
// main(); the parts it hands out are thread-safe.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/config/common.h"
#include "lib/config/loader.h"
#include "lib/config/tenants.h"
#include "lib/kafka/producer.h"
#include "lib/metrics/metrics_server.h"
#include "lib/redis/client.h"
#include "lib/server/service_host.h"

namespace smsflow::runtime {

struct RuntimeSpec {
  std::string service;  // "ingest"
  int default_grpc_port = 0;
  int default_metrics_port = 0;
  bool uses_redis = false;
  bool requires_tenants = true;
};

class ServiceRuntime {
 public:
  explicit ServiceRuntime(RuntimeSpec spec);
  ~ServiceRuntime();

  // Register the service's own options here before Init().
  config::ConfigLoader& loader() { return loader_; }

  // Parses config, starts logging and /metrics, loads tenants, creates the
  // producer and Redis pool. An error names the bad key; the caller prints
  // it and exits 2. If --help was given, help_requested() is true.
  absl::Status Init(int argc, const char* const* argv);
  bool help_requested() const { return !help_.empty(); }
  const std::string& help() const { return help_; }

  const RuntimeSpec& spec() const { return spec_; }
  const config::ServerConfig& server_config() const { return server_; }
  const config::KafkaConfig& kafka_config() const { return kafka_; }
  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<const config::TenantDirectory> tenants() const { return tenants_; }
  kafka::Producer& producer() { return *producer_; }
  redis::Pool& redis() { return *redis_; }
  server::ServiceHost& host() { return *host_; }

  // A step run once gRPC serves and before the ready file is written: other
  // listeners (webhooks) and background loops start here. An error stops
  // the process before it reports ready.
  void AddStartStep(std::string name, std::function<absl::Status()> step);
  // A step run on shutdown right after health goes NOT_SERVING and before
  // gRPC stops: ending long-lived streams so the grace period is not spent
  // waiting for them.
  void AddDrainStep(std::string name, std::function<void()> step);

  // A step run after gRPC has stopped and before the producer is flushed,
  // in the order added: stopping consumers (which commit their last offsets)
  // and other intake.
  void AddStopStep(std::string name, std::function<void()> step);

  // Keeps `part` alive until after gRPC has stopped and the stop steps have
  // run; parts are destroyed in reverse order of Own() calls.
  template <typename T>
  T* Own(std::unique_ptr<T> part) {
    T* raw = part.get();
    owned_.push_back(std::shared_ptr<void>(std::move(part)));
    return raw;
  }

  // For one-shot modes (e.g. consent's --rebuild-view): RunService returns
  // `code` after the wire step instead of serving.
  void ExitWithoutServing(int code) { exit_code_ = code; }
  std::optional<int> exit_code() const { return exit_code_; }

  // Starts gRPC, writes the ready file, waits for SIGTERM/SIGINT, shuts down.
  // Returns the process exit code.
  int Serve();

 private:
  RuntimeSpec spec_;
  config::ConfigLoader loader_;
  config::ServerConfig server_;
  config::KafkaConfig kafka_;
  config::RedisConfig redis_config_;
  std::string tenants_file_;
  std::string help_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<metrics::MetricsServer> metrics_;
  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<redis::Pool> redis_;
  std::unique_ptr<server::ServiceHost> host_;
  std::vector<std::pair<std::string, std::function<absl::Status()>>> start_steps_;
  std::vector<std::pair<std::string, std::function<void()>>> drain_steps_;
  std::vector<std::pair<std::string, std::function<void()>>> stop_steps_;
  std::vector<std::shared_ptr<void>> owned_;
  std::optional<int> exit_code_;
};

// The whole life of a service binary: blocks shutdown signals, lets
// `add_options` register service flags, parses config (exit 2 with the bad
// key on error, 0 after --help), calls `wire` to create and register the
// service's parts, then serves until SIGTERM. Returns the exit code.
int RunService(RuntimeSpec spec, int argc, char** argv,
               const std::function<void(config::ConfigLoader&)>& add_options,
               const std::function<absl::Status(ServiceRuntime&)>& wire);

}  // namespace smsflow::runtime
