#include "lib/runtime/service_runtime.h"

#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "lib/server/shutdown.h"

namespace smsflow::runtime {
namespace {

absl::StatusOr<redis::Options> RedisOptions(const config::RedisConfig& cfg) {
  redis::Options o;
  const size_t colon = cfg.address.rfind(':');
  if (colon == std::string::npos || !absl::SimpleAtoi(cfg.address.substr(colon + 1), &o.port) ||
      o.port <= 0 || o.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration: --redis-address '", cfg.address, "' is not host:port"));
  }
  o.host = cfg.address.substr(0, colon);
  o.connect_timeout = cfg.timeout;
  o.command_timeout = cfg.timeout;
  return o;
}

}  // namespace

ServiceRuntime::ServiceRuntime(RuntimeSpec spec)
    : spec_(std::move(spec)),
      loader_(spec_.service),
      registry_(std::make_shared<prometheus::Registry>()) {
  loader_.AddServer(&server_, spec_.default_grpc_port, spec_.default_metrics_port);
  loader_.AddKafka(&kafka_);
  if (spec_.uses_redis) loader_.AddRedis(&redis_config_);
  loader_.AddTenantsFile(&tenants_file_, spec_.requires_tenants);
}

ServiceRuntime::~ServiceRuntime() = default;

absl::Status ServiceRuntime::Init(int argc, const char* const* argv) {
  if (auto st = loader_.Parse(argc, argv, &help_); !st.ok() || !help_.empty()) return st;
  if (auto st = log::Init(spec_.service, server_.log_level); !st.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("configuration: --log-level: ", st.message()));
  }
  if (!tenants_file_.empty()) {
    auto dir = config::TenantDirectory::FromFile(tenants_file_);
    if (!dir.ok()) return dir.status();
    tenants_ = *dir;
  } else {
    auto empty = config::TenantDirectory::FromYaml("tenants: []");
    if (!empty.ok()) return empty.status();
    tenants_ = *empty;
  }
  kafka::ProducerOptions popts;
  popts.brokers = kafka_.brokers;
  popts.client_id = "smsflow-" + spec_.service;
  popts.delivery_timeout = kafka_.delivery_timeout;
  auto producer = kafka::MakeProducer(popts);
  if (!producer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("configuration: Kafka producer: ", producer.status().message()));
  }
  producer_ = std::move(*producer);
  if (spec_.uses_redis) {
    auto ropts = RedisOptions(redis_config_);
    if (!ropts.ok()) return ropts.status();
    if (redis_config_.pool_size <= 0) {
      return absl::InvalidArgumentError("configuration: --redis-pool-size must be at least 1");
    }
    redis_ = std::make_unique<redis::Pool>(*ropts, static_cast<size_t>(redis_config_.pool_size));
  }
  auto metrics = metrics::MetricsServer::Start(server_.metrics_address, registry_);
  if (!metrics.ok()) return metrics.status();
  metrics_ = std::move(*metrics);

  server::HostOptions hopts;
  hopts.service = spec_.service;
  hopts.address = server_.grpc_address;
  host_ = std::make_unique<server::ServiceHost>(hopts, *registry_);
  host_->AddHealthCheck("kafka", [this] { return producer_->Ping(std::chrono::seconds(1)); });
  if (redis_) host_->AddHealthCheck("redis", [this] { return redis_->Ping(); });
  log::Info("configured", {{"kafka_brokers", kafka_.brokers},
                           {"tenants", static_cast<int64_t>(tenants_->tenants().size())},
                           {"metrics_port", metrics_->port()}});
  return absl::OkStatus();
}

void ServiceRuntime::AddStartStep(std::string name, std::function<absl::Status()> step) {
  start_steps_.emplace_back(std::move(name), std::move(step));
}

void ServiceRuntime::AddDrainStep(std::string name, std::function<void()> step) {
  drain_steps_.emplace_back(std::move(name), std::move(step));
}

void ServiceRuntime::AddStopStep(std::string name, std::function<void()> step) {
  stop_steps_.emplace_back(std::move(name), std::move(step));
}

int ServiceRuntime::Serve() {
  if (auto st = host_->Start(); !st.ok()) {
    log::Error("cannot start gRPC", {{"status", st}});
    return 1;
  }
  for (auto& [name, step] : start_steps_) {
    if (auto st = step(); !st.ok()) {
      log::Error("start step failed", {{"step", name}, {"status", st}});
      host_->Shutdown(std::chrono::milliseconds(0));
      return 1;
    }
  }
  if (!server_.ready_file.empty()) {
    if (auto st = server::WriteReadyFile(server_.ready_file, host_->port(), metrics_->port());
        !st.ok()) {
      log::Error("cannot write ready file", {{"status", st}});
      return 1;
    }
  }
  log::Info("started", {{"grpc_port", host_->port()}, {"metrics_port", metrics_->port()}});
  const int sig = server::WaitForShutdownSignal();
  log::Info("shutting down", {{"signal", sig}});

  server::ShutdownSequence seq;
  // Health first: load balancers and clients stop sending new work while we
  // still serve what is in flight.
  seq.Add("health NOT_SERVING", [this] { host_->SetNotServing(); });
  // Long-lived streams end now, so the grace period below is not spent
  // waiting for clients that would never hang up on their own.
  for (auto& [name, step] : drain_steps_) seq.Add(name, step);
  // Stop accepting RPCs; in-flight ones get the grace period. Their Kafka
  // sends complete before they answer, so nothing acknowledged is lost.
  seq.Add("stop gRPC", [this] { host_->Shutdown(server_.shutdown_grace); });
  // Consumers next: each finishes its batch and commits its last offsets;
  // their outputs go through the producer, which is still alive.
  for (auto& [name, step] : stop_steps_) seq.Add(name, step);
  // Then flush whatever the producer still holds.
  seq.Add("flush Kafka producer", [this] {
    if (auto st = producer_->Flush(kafka_.delivery_timeout); !st.ok()) {
      log::Error("producer flush incomplete", {{"status", st}});
    }
  });
  // Destroy in reverse order of construction.
  seq.Add("release resources", [this] {
    host_.reset();
    while (!owned_.empty()) owned_.pop_back();
    redis_.reset();
    producer_.reset();
    metrics_.reset();
  });
  seq.Run();
  log::Info("stopped");
  return 0;
}

int RunService(RuntimeSpec spec, int argc, char** argv,
               const std::function<void(config::ConfigLoader&)>& add_options,
               const std::function<absl::Status(ServiceRuntime&)>& wire) {
  server::BlockShutdownSignals();
  const std::string name = "smsflow-" + spec.service;
  ServiceRuntime rt(std::move(spec));
  if (add_options) add_options(rt.loader());
  if (auto st = rt.Init(argc, argv); !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), std::string(st.message()).c_str());
    return 2;
  }
  if (rt.help_requested()) {
    std::fputs(rt.help().c_str(), stdout);
    return 0;
  }
  if (auto st = wire(rt); !st.ok()) {
    std::fprintf(stderr, "%s: %s\n", name.c_str(), std::string(st.message()).c_str());
    return 2;
  }
  if (rt.exit_code().has_value()) return *rt.exit_code();
  return rt.Serve();
}

}  // namespace smsflow::runtime
