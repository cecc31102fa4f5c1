#pragma once
// A service binary started by an end-to-end test on port 0 and found through
// its ready file; killed (SIGKILL) when the owner goes away unless the test
// stopped it first.

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "lib/testing/subprocess.h"
#include "lib/testing/wait.h"

namespace smsflow::e2e {

inline std::string Binary(const std::string& service) {
  return std::string(SMSFLOW_BIN_DIR) + "/" + service + "/smsflow-" + service;
}

struct RunningService {
  RunningService(const std::string& service, const testing::TempDir& dir,
                 const std::vector<std::string>& extra) {
    ready = dir.File(service + ".ready");
    std::vector<std::string> argv = {Binary(service), "--grpc-address=127.0.0.1:0",
                                     "--metrics-address=127.0.0.1:0", "--ready-file=" + ready,
                                     "--shutdown-grace-ms=2000"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<testing::Subprocess>(argv, dir.File(service + ".log"));
    testing::WaitFor([&] { return !testing::ReadFile(ready).empty() || !process->Running(); });
    if (testing::ReadFile(ready).empty()) {
      throw std::runtime_error(service + " did not become ready:\n" +
                               testing::ReadFile(process->log_path()));
    }
    auto j = nlohmann::json::parse(testing::ReadFile(ready));
    grpc_port = j["grpc_port"];
    metrics_port = j["metrics_port"];
  }
  std::string target() const { return "127.0.0.1:" + std::to_string(grpc_port); }
  std::string log() const { return testing::ReadFile(process->log_path()); }

  std::string ready;
  int grpc_port = 0;
  int metrics_port = 0;
  std::unique_ptr<testing::Subprocess> process;
};

}  // namespace smsflow::e2e
