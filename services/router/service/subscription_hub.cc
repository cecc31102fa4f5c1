#include "services/router/service/subscription_hub.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/router/service/router_metrics.h"

namespace smsflow::router {

Subscription::Event Subscription::Next(std::chrono::milliseconds wait,
                                       std::shared_ptr<const v1::RoutedMessage>* out) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [this] { return overflowed_ || closed_ || !queue_.empty(); });
  if (overflowed_) return Event::kOverflow;
  if (!queue_.empty()) {
    *out = std::move(queue_.front());
    queue_.pop_front();
    return Event::kMessage;
  }
  return closed_ ? Event::kClosed : Event::kTimeout;
}

bool Subscription::Push(std::shared_ptr<const v1::RoutedMessage> message) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(message));
  }
  cv_.notify_one();
  return true;
}

void Subscription::End(bool overflow) {
  {
    std::lock_guard lock(mu_);
    (overflow ? overflowed_ : closed_) = true;
    if (overflow) queue_.clear();
  }
  cv_.notify_all();
}

SubscriptionHub::SubscriptionHub(size_t queue_capacity, RouterMetrics* metrics)
    : capacity_(std::max<size_t>(1, queue_capacity)), metrics_(metrics) {}

std::string SubscriptionHub::Key(const std::string& tenant, const std::string& destination) {
  // '\n' appears in neither a tenant id nor a destination name.
  return absl::StrCat(tenant, "\n", destination);
}

void SubscriptionHub::UpdateGauge() {
  if (metrics_ != nullptr) metrics_->subscribers.Set(static_cast<double>(key_of_.size()));
}

std::shared_ptr<Subscription> SubscriptionHub::Subscribe(const std::string& tenant,
                                                         const std::string& destination,
                                                         std::function<void()> on_overflow) {
  auto sub = std::make_shared<Subscription>(capacity_);
  std::lock_guard lock(mu_);
  if (closed_) {
    sub->End(/*overflow=*/false);
    return sub;
  }
  sub->on_overflow_ = std::move(on_overflow);
  const std::string key = Key(tenant, destination);
  by_key_[key].push_back(sub);
  key_of_[sub.get()] = key;
  UpdateGauge();
  return sub;
}

void SubscriptionHub::Unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  std::lock_guard lock(mu_);
  auto it = key_of_.find(subscription.get());
  if (it == key_of_.end()) return;
  auto& subs = by_key_[it->second];
  subs.erase(std::remove(subs.begin(), subs.end(), subscription), subs.end());
  if (subs.empty()) by_key_.erase(it->second);
  key_of_.erase(it);
  subscription->on_overflow_ = nullptr;
  UpdateGauge();
}

void SubscriptionHub::Publish(const v1::RoutedMessage& message) {
  std::lock_guard lock(mu_);
  auto it =
      by_key_.find(Key(message.message().tenant_id(), message.classification().destination()));
  if (it == by_key_.end()) return;
  auto shared = std::make_shared<const v1::RoutedMessage>(message);
  auto& subs = it->second;
  for (size_t i = 0; i < subs.size();) {
    std::shared_ptr<Subscription>& sub = subs[i];
    if (sub->Push(shared)) {
      if (metrics_ != nullptr) metrics_->fanout_delivered.Increment();
      ++i;
      continue;
    }
    // Too slow: end it now rather than buffer without bound.
    sub->End(/*overflow=*/true);
    if (sub->on_overflow_) sub->on_overflow_();
    sub->on_overflow_ = nullptr;
    if (metrics_ != nullptr) metrics_->subscriber_drops.Add({{"reason", "overflow"}}).Increment();
    key_of_.erase(sub.get());
    subs.erase(subs.begin() + static_cast<std::ptrdiff_t>(i));
  }
  if (subs.empty()) by_key_.erase(it);
  UpdateGauge();
}

void SubscriptionHub::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (auto& [key, subs] : by_key_) {
    for (auto& sub : subs) {
      sub->End(/*overflow=*/false);
      sub->on_overflow_ = nullptr;
    }
  }
  by_key_.clear();
  key_of_.clear();
  UpdateGauge();
}

size_t SubscriptionHub::size() const {
  std::lock_guard lock(mu_);
  return key_of_.size();
}

}  // namespace smsflow::router
