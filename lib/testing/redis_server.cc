#include "lib/testing/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lib/testing/wait.h"

namespace smsflow::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr int kFirstStartAttempts = 5;  // fresh port each time: bind races

// Waits until `fd` is ready for `events` or `deadline` passes.
bool PollUntil(int fd, short events, std::chrono::steady_clock::time_point deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n == 0 || errno != EINTR) return false;
  }
}

}  // namespace

bool RedisAnswersPing(int port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (errno != EINPROGRESS || !PollUntil(fd, POLLOUT, deadline)) return false;
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) return false;
  }
  constexpr std::string_view kPing = "PING\r\n";
  if (send(fd, kPing.data(), kPing.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(kPing.size())) {
    return false;
  }
  std::string got;
  while (got.find("\r\n") == std::string::npos) {
    if (!PollUntil(fd, POLLIN, deadline)) return false;
    char buf[64];
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    got.append(buf, static_cast<size_t>(n));
  }
  return got.starts_with("+PONG");
}

RedisServer::RedisServer() : log_path_(dir_.File("redis.log")) {
  for (int attempt = 0; attempt < kFirstStartAttempts; ++attempt) {
    port_ = PickFreePort();
    if (TryStart(kStartTimeout)) return;
  }
  throw std::runtime_error("RedisServer: redis-server did not start; see " + log_path_);
}

RedisServer::~RedisServer() { Stop(); }

redis::Options RedisServer::options() const {
  redis::Options o;
  o.host = "127.0.0.1";
  o.port = port_;
  o.connect_timeout = std::chrono::milliseconds(500);
  o.command_timeout = std::chrono::milliseconds(500);
  return o;
}

bool RedisServer::TryStart(std::chrono::milliseconds timeout) {
  process_ = std::make_unique<Subprocess>(
      std::vector<std::string>{SMSFLOW_REDIS_SERVER_PATH, "--port", std::to_string(port_), "--bind",
                               "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                               dir_.path(), "--daemonize", "no", "--logfile", ""},
      log_path_);
  bool exited = false;
  const bool ready = WaitFor(
      [&] {
        if (!process_->Running()) {
          exited = true;
          return true;
        }
        return RedisAnswersPing(port_, std::chrono::milliseconds(200));
      },
      timeout);
  if (ready && !exited) return true;
  process_.reset();  // kills it if it is still there
  return false;
}

void RedisServer::Stop() {
  if (process_ == nullptr) return;
  process_->Stop(SIGKILL);  // SIGKILL works on a SIGSTOPped process too
  process_.reset();
}

void RedisServer::Start() {
  if (process_ != nullptr) return;
  // The old socket is gone with the process (redis-server binds with
  // SO_REUSEADDR), but another process may grab the port meanwhile; retry
  // within the start timeout rather than move to a port clients don't know.
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  const bool started = WaitFor(
      [&] {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        return TryStart(std::max(left, std::chrono::milliseconds(100)));
      },
      kStartTimeout);
  if (started) return;
  throw std::runtime_error("RedisServer: restart on port " + std::to_string(port_) +
                           " failed; see " + log_path_);
}

void RedisServer::Restart() {
  Stop();
  Start();
}

void RedisServer::Pause() {
  if (process_ != nullptr) kill(process_->pid(), SIGSTOP);
}

void RedisServer::Resume() {
  if (process_ != nullptr) kill(process_->pid(), SIGCONT);
}

}  // namespace smsflow::testing
