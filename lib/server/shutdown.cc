#include "lib/server/shutdown.h"

#include <pthread.h>
#include <signal.h>

#include "lib/log/log.h"

namespace smsflow::server {
namespace {
sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

void BlockShutdownSignals() {
  sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A peer closing a socket must not kill the process.
  signal(SIGPIPE, SIG_IGN);
}

int WaitForShutdownSignal() {
  sigset_t set = ShutdownSignals();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

void ShutdownSequence::Add(std::string step, std::function<void()> action) {
  steps_.emplace_back(std::move(step), std::move(action));
}

void ShutdownSequence::Run() {
  for (auto& [name, action] : steps_) {
    const auto start = std::chrono::steady_clock::now();
    action();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    log::Info("shutdown step done", {{"step", name}, {"ms", static_cast<int64_t>(ms)}});
  }
}

}  // namespace smsflow::server
