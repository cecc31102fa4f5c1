#pragma once
// ServiceHost: the gRPC side of a service binary. It owns the grpc::Server
// with the standard health service (grpc.health.v1) and reflection, the call
// interceptor (identity + request metrics), and a thread that re-evaluates
// dependency health checks and flips the health status: SERVING only while
// every dependency check passes and the host is not shutting down.
//
// Lifetime: construct, AddService/AddHealthCheck, Start, ... SetNotServing,
// Shutdown, destroy. Services added must outlive the host. Thread-safe after
// Start() for SetNotServing/Shutdown/serving().

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "lib/server/call_context.h"

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Gauge;
}  // namespace prometheus

namespace smsflow::server {

struct HostOptions {
  std::string service;  // "ingest": names metrics and logs
  std::string address;  // host:port; port 0 picks one (see port())
  std::chrono::milliseconds health_interval{2000};
  std::shared_ptr<const IdentityResolver> identity = std::make_shared<MetadataIdentityResolver>();
};

class ServiceHost {
 public:
  ServiceHost(HostOptions options, prometheus::Registry& registry);
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  void AddService(grpc::Service* service);
  // `check` runs on the health thread every health_interval; it must be quick
  // (bounded by its own timeout) and thread-safe.
  void AddHealthCheck(std::string dependency, std::function<absl::Status()> check);

  // Runs the checks once, then starts serving. UNAVAILABLE if the address
  // cannot be bound.
  absl::Status Start();
  int port() const { return port_; }
  bool serving() const { return serving_.load(); }

  // Shutdown step 1: health reports NOT_SERVING from now on, so load
  // balancers stop sending new work while in-flight calls finish.
  void SetNotServing();
  // Shutdown step 2: stop accepting RPCs; calls still running after `grace`
  // are cancelled. Stops the health thread. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  void HealthLoop();
  void EvaluateHealth();

  HostOptions options_;
  prometheus::Registry& registry_;
  prometheus::Family<prometheus::Gauge>& dependency_up_;
  prometheus::Family<prometheus::Gauge>& serving_gauge_;
  std::vector<grpc::Service*> services_;
  std::vector<std::pair<std::string, std::function<absl::Status()>>> checks_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<bool> serving_{false};
  std::atomic<bool> draining_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_health_ = false;
  std::thread health_thread_;
};

// Writes {"grpc_port":G,"metrics_port":M} to `path` atomically (temp file +
// rename) so scripts and end-to-end tests can find a service started on port 0.
absl::Status WriteReadyFile(const std::string& path, int grpc_port, int metrics_port);

}  // namespace smsflow::server
