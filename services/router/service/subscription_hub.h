#pragma once
// SubscriptionHub: fans routed messages out to the open Subscribe streams of
// this process, by (tenant, destination). Every stream of a destination gets
// every message (broadcast), in the order Publish is called (the fan-out
// consumer calls it in partition order, so per conversation).
//
// Back-pressure: each subscription has a bounded queue. When a message finds
// it full, the subscription is removed and marked overflowed (its stream
// ends with RESOURCE_EXHAUSTED) and its overflow callback runs: a slow
// reader never makes Publish wait, so it can never hold up other streams or
// the consumer.
//
// Thread-safe. Publish runs on the fan-out consumer thread; Subscribe,
// Unsubscribe and Subscription::Next on gRPC handler threads. Overflow
// callbacks run under the hub's lock, so after Unsubscribe returns the
// callback is never called again (it may capture the handler's stack).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "smsflow/v1/routed.pb.h"

namespace smsflow::router {

struct RouterMetrics;

class Subscription {
 public:
  enum class Event { kMessage, kTimeout, kOverflow, kClosed };

  explicit Subscription(size_t capacity) : capacity_(capacity) {}

  // The next message, waiting up to `wait`. Queued messages are delivered
  // before kClosed, but not before kOverflow (the reader is already behind).
  Event Next(std::chrono::milliseconds wait, std::shared_ptr<const v1::RoutedMessage>* out);

 private:
  friend class SubscriptionHub;
  // False when full: the caller then ends the subscription as overflowed.
  bool Push(std::shared_ptr<const v1::RoutedMessage> message);
  void End(bool overflow);

  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<const v1::RoutedMessage>> queue_;
  bool overflowed_ = false;
  bool closed_ = false;
  std::function<void()> on_overflow_;  // guarded by the hub's mutex
};

class SubscriptionHub {
 public:
  // `metrics` may be null.
  SubscriptionHub(size_t queue_capacity, RouterMetrics* metrics);

  // A new subscription; already closed when the hub is closed.
  std::shared_ptr<Subscription> Subscribe(const std::string& tenant, const std::string& destination,
                                          std::function<void()> on_overflow = {});
  void Unsubscribe(const std::shared_ptr<Subscription>& subscription);

  // Queues `message` for every subscription of its tenant and destination.
  void Publish(const v1::RoutedMessage& message);

  // Ends every subscription (kClosed after their queued messages) and
  // refuses new ones: shutdown.
  void Close();

  size_t size() const;

 private:
  static std::string Key(const std::string& tenant, const std::string& destination);
  void UpdateGauge();  // mu_ held

  const size_t capacity_;
  RouterMetrics* metrics_;
  mutable std::mutex mu_;
  absl::flat_hash_map<std::string, std::vector<std::shared_ptr<Subscription>>> by_key_;
  absl::flat_hash_map<const Subscription*, std::string> key_of_;
  bool closed_ = false;
};

}  // namespace smsflow::router
