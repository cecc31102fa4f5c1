#pragma once
// A small RAII client and a fixed-size pool over hiredis (blocking API).
// Failures are values: connection loss and timeouts are UNAVAILABLE (retriable
// by the caller), Redis error replies are classified by ErrorReplyToStatus.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/redis/options.h"
#include "lib/redis/reply.h"
#include "lib/redis/script.h"

struct redisContext;

namespace smsflow::redis {

using Args = std::vector<std::string>;

// One connection to one Redis server. Owns its redisContext (freed on
// destruction or after any I/O error). Not thread-safe: use one per thread or
// lease one from a Pool. Reconnects lazily: after an I/O error the context is
// dropped and the next call connects again. A failed call is never retried
// automatically, because the command may have run; it returns UNAVAILABLE and
// the caller decides. SIGPIPE raised by writes to a dead peer is blocked and
// discarded per call, so the process needs no global SIGPIPE setting.
class Client {
 public:
  // Throws std::invalid_argument for impossible options (empty host, bad port,
  // negative timeouts or db).
  explicit Client(Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;

  // Connects (and AUTHs, SELECTs) if not connected; OK if already connected.
  absl::Status Connect();

  // One command, binary-safe. An error reply becomes a non-OK status.
  absl::StatusOr<Reply> Command(const Args& args);

  // All commands in one round trip, replies in order. Per-command error
  // replies stay as Reply::Type::kError; only I/O failures fail the whole call
  // (and then any prefix of the commands may have run).
  absl::StatusOr<std::vector<Reply>> Pipeline(const std::vector<Args>& commands);

  // EVALSHA; on NOSCRIPT loads the script and retries once (safe: NOSCRIPT
  // means it did not run). The load and the retry share one round trip. An
  // error reply from the script becomes a non-OK status.
  absl::StatusOr<Reply> Eval(const Script& script, const Args& keys, const Args& args);

  // Many EVALSHA calls in one pipeline ({keys, args} each). Calls answered
  // NOSCRIPT are re-sent, after SCRIPT LOAD, in a second round trip; the
  // others are not repeated. Per-call error replies stay as kError.
  absl::StatusOr<std::vector<Reply>> EvalPipeline(const Script& script,
                                                  const std::vector<std::pair<Args, Args>>& calls);

  absl::Status Ping();

  // True while a connection is held; it may still turn out dead on next use.
  bool connected() const { return context_ != nullptr; }
  const Options& options() const { return options_; }

 private:
  struct ContextDeleter {
    void operator()(redisContext* c) const;
  };

  // Sends `commands` and reads one reply per command. On I/O failure drops
  // the connection and returns UNAVAILABLE.
  absl::StatusOr<std::vector<Reply>> RoundTrip(const std::vector<const Args*>& commands);
  absl::Status IoError(const char* what);
  std::string Endpoint() const;

  Options options_;
  std::unique_ptr<redisContext, ContextDeleter> context_;
};

// A fixed number of Clients shared by many threads. Clients connect lazily on
// first use. Thread-safe. The Pool must outlive every Lease it hands out.
class Pool {
 public:
  // Throws std::invalid_argument if `size` is 0 or the options are invalid.
  Pool(Options options, size_t size);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Exclusive use of one Client; gives it back to the pool on destruction.
  // Move-only.
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), client_(other.client_) {}
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { Release(); }

    Client* operator->() { return client_; }
    Client& operator*() { return *client_; }

   private:
    friend class Pool;
    Lease(Pool* pool, Client* client) : pool_(pool), client_(client) {}
    void Release();

    Pool* pool_ = nullptr;
    Client* client_ = nullptr;
  };

  // Waits up to `wait` for a free client; UNAVAILABLE if none frees up.
  absl::StatusOr<Lease> Acquire(std::chrono::milliseconds wait = std::chrono::milliseconds(1000));

  // PING through one pooled client, for health checks. Unlike other calls it
  // retries once when a stale connection fails (PING has no effect).
  absl::Status Ping();

  size_t size() const { return clients_.size(); }

 private:
  void Return(Client* client);

  std::vector<std::unique_ptr<Client>> clients_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<Client*> idle_;  // guarded by mu_
};

}  // namespace smsflow::redis
