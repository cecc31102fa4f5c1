#pragma once
// A real redis-server for integration tests, on a free loopback port.

#include <chrono>
#include <memory>
#include <string>

#include "lib/redis/options.h"
#include "lib/testing/subprocess.h"

namespace smsflow::testing {

// Owns one redis-server child process (no persistence: --save "" --appendonly
// no) and its working directory. The constructor starts it and waits until it
// answers PING (throws std::runtime_error if it cannot within 20 s); the
// destructor kills it. Stop/Start/Restart simulate outages; after the first
// start the port never changes, so clients configured with options() find the
// server again. Not thread-safe: drive it from the test thread.
class RedisServer {
 public:
  RedisServer();
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  // Options pointing at this server, with short timeouts suited to tests.
  redis::Options options() const;

  // Kills the server (SIGKILL: like a crash, nothing is flushed). No-op if
  // not running.
  void Stop();
  // Starts it again on the same port and waits until it answers PING. No-op
  // if running.
  void Start();
  void Restart();
  // SIGSTOP/SIGCONT: the server keeps its port and accepts TCP connections
  // but answers nothing, which is how a hung server looks to a client.
  void Pause();
  void Resume();
  bool running() const { return process_ != nullptr; }

  const std::string& log_path() const { return log_path_; }

 private:
  // Starts the process on port_ and waits for PING; false if it exited (for
  // example because the port was taken) or never answered.
  bool TryStart(std::chrono::milliseconds timeout);

  TempDir dir_;
  std::string log_path_;
  int port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

// True if something on 127.0.0.1:`port` answers "PING" with "+PONG" within
// `timeout`. Speaks RESP over a raw socket so the harness needs no client lib.
bool RedisAnswersPing(int port, std::chrono::milliseconds timeout);

}  // namespace smsflow::testing
