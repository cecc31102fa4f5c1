#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "lib/redis/client.h"

namespace smsflow::redis {

Pool::Pool(Options options, size_t size) {
  if (size == 0) throw std::invalid_argument("redis::Pool: size must be > 0");
  clients_.reserve(size);
  idle_.reserve(size);
  for (size_t i = 0; i < size; ++i) {
    clients_.push_back(std::make_unique<Client>(options));
    idle_.push_back(clients_.back().get());
  }
}

absl::StatusOr<Pool::Lease> Pool::Acquire(std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!freed_.wait_for(lock, wait, [this] { return !idle_.empty(); })) {
    return absl::UnavailableError(absl::StrCat("redis pool: no free connection within ",
                                               wait.count(), " ms (size ", clients_.size(), ")"));
  }
  Client* client = idle_.back();
  idle_.pop_back();
  return Lease(this, client);
}

void Pool::Return(Client* client) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(client);
  }
  freed_.notify_one();
}

absl::Status Pool::Ping() {
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  Client& client = **lease;
  const bool had_connection = client.connected();
  absl::Status status = client.Ping();
  // A connection left over from before a Redis restart fails once; PING has
  // no effect, so one retry on a fresh connection is safe and keeps health
  // checks from flapping.
  if (absl::IsUnavailable(status) && had_connection) status = client.Ping();
  return status;
}

Pool::Lease& Pool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    client_ = other.client_;
  }
  return *this;
}

void Pool::Lease::Release() {
  if (pool_ != nullptr) std::exchange(pool_, nullptr)->Return(client_);
}

}  // namespace smsflow::redis
