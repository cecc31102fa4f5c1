#include "lib/server/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace smsflow::server {

ServiceHost::ServiceHost(HostOptions options, prometheus::Registry& registry)
    : options_(std::move(options)),
      registry_(registry),
      dependency_up_(prometheus::BuildGauge()
                         .Name(absl::StrCat("smsflow_", options_.service, "_dependency_up"))
                         .Help("1 while the dependency's health check passes")
                         .Register(registry)),
      serving_gauge_(prometheus::BuildGauge()
                         .Name(absl::StrCat("smsflow_", options_.service, "_serving"))
                         .Help("1 while grpc.health.v1 reports SERVING")
                         .Register(registry)) {}

ServiceHost::~ServiceHost() { Shutdown(std::chrono::milliseconds(0)); }

void ServiceHost::AddService(grpc::Service* service) { services_.push_back(service); }

void ServiceHost::AddHealthCheck(std::string dependency, std::function<absl::Status()> check) {
  checks_.emplace_back(std::move(dependency), std::move(check));
}

absl::Status ServiceHost::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.address, grpc::InsecureServerCredentials(), &port_);
  for (grpc::Service* s : services_) builder.RegisterService(s);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(MakeCallInterceptorFactory(options_.service, options_.identity, registry_));
  builder.experimental().SetInterceptorCreators(std::move(creators));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat("gRPC: cannot listen on '", options_.address, "'"));
  }
  EvaluateHealth();
  health_thread_ = std::thread([this] { HealthLoop(); });
  log::Info("grpc serving", {{"address", options_.address}, {"port", port_}});
  return absl::OkStatus();
}

void ServiceHost::EvaluateHealth() {
  bool all_ok = true;
  for (auto& [name, check] : checks_) {
    const absl::Status st = check();
    const bool ok = st.ok();
    auto& gauge = dependency_up_.Add({{"dependency", name}});
    if (ok != (gauge.Value() == 1)) {
      if (ok) {
        log::Info("dependency healthy", {{"dependency", name}});
      } else {
        log::Warn("dependency unhealthy", {{"dependency", name}, {"status", st}});
      }
    }
    gauge.Set(ok ? 1 : 0);
    all_ok = all_ok && ok;
  }
  const bool serving = all_ok && !draining_.load();
  serving_.store(serving);
  serving_gauge_.Add({}).Set(serving ? 1 : 0);
  if (server_ != nullptr && server_->GetHealthCheckService() != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(serving);
  }
}

void ServiceHost::HealthLoop() {
  std::unique_lock lock(mu_);
  while (!stop_health_) {
    cv_.wait_for(lock, options_.health_interval, [this] { return stop_health_; });
    if (stop_health_) break;
    lock.unlock();
    EvaluateHealth();
    lock.lock();
  }
}

void ServiceHost::SetNotServing() {
  draining_.store(true);
  serving_.store(false);
  serving_gauge_.Add({}).Set(0);
  if (server_ != nullptr && server_->GetHealthCheckService() != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
  }
}

void ServiceHost::Shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    stop_health_ = true;
  }
  cv_.notify_all();
  if (health_thread_.joinable()) health_thread_.join();
  if (server_ != nullptr) {
    SetNotServing();
    server_->Shutdown(std::chrono::system_clock::now() + grace);
    server_->Wait();
    server_.reset();
  }
}

absl::Status WriteReadyFile(const std::string& path, int grpc_port, int metrics_port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out)
      return absl::InvalidArgumentError(absl::StrCat("ready file '", path, "' cannot be written"));
    out << nlohmann::json{{"grpc_port", grpc_port}, {"metrics_port", metrics_port}}.dump() << "\n";
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("ready file '", path, "' cannot be renamed"));
  }
  return absl::OkStatus();
}

}  // namespace smsflow::server
