#pragma once
// Signal handling and the ordered shutdown of a service binary.
//
// BlockShutdownSignals() must run first in main(), before any thread starts,
// so every thread inherits a mask with SIGTERM/SIGINT blocked and the main
// thread alone receives them through WaitForShutdownSignal().

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace smsflow::server {

void BlockShutdownSignals();
// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForShutdownSignal();

// Named steps run in the order added, each logged with its duration, so the
// order (and its reasons, written beside each Add in main) is explicit.
class ShutdownSequence {
 public:
  void Add(std::string step, std::function<void()> action);
  void Run();

 private:
  std::vector<std::pair<std::string, std::function<void()>>> steps_;
};

}  // namespace smsflow::server
