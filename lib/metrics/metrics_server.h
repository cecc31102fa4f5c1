#pragma once
// The Prometheus endpoint of a service: one registry that every module's
// metrics struct registers into, served as text on GET /metrics.
//
// Owns a civetweb listener (prometheus-cpp's Exposer) on its own threads;
// construct once in main(), destroy after everything that updates metrics.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "prometheus/registry.h"

namespace prometheus {
class Exposer;
}

namespace smsflow::metrics {

// Histogram buckets for latencies in seconds, 0.5 ms .. 10 s.
const std::vector<double>& LatencyBuckets();

class MetricsServer {
 public:
  // `address` is host:port; port 0 picks a free port (see port()).
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& address, std::shared_ptr<prometheus::Registry> registry);
  ~MetricsServer();

  int port() const { return port_; }
  prometheus::Registry& registry() { return *registry_; }

 private:
  MetricsServer() = default;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::shared_ptr<prometheus::Registry> registry_;
  int port_ = 0;
};

}  // namespace smsflow::metrics
