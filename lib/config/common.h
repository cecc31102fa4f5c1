#pragma once
// Settings every service shares, filled by ConfigLoader from flags and
// SMSFLOW_* environment variables.

#include <chrono>
#include <string>

namespace smsflow::config {

struct ServerConfig {
  std::string grpc_address;     // host:port; port 0 picks a free one
  std::string metrics_address;  // host:port of the Prometheus /metrics listener
  std::string log_level = "info";
  std::chrono::milliseconds shutdown_grace{10000};  // in-flight RPCs get this long on SIGTERM
  std::string
      ready_file;  // if set, {"grpc_port":..,"metrics_port":..} is written here once serving
};

struct KafkaConfig {
  std::string brokers = "127.0.0.1:9092";
  std::chrono::milliseconds delivery_timeout{10000};  // a send not acknowledged by then fails
  std::string consumer_group;                         // defaults to smsflow-<service>
};

struct RedisConfig {
  std::string address = "127.0.0.1:6379";  // host:port
  int pool_size = 8;
  std::chrono::milliseconds timeout{1000};  // connect and command timeout
};

}  // namespace smsflow::config
