#include "services/sender/dispatch/lane_queue.h"

#include <algorithm>

namespace smsflow::sender {

BatchTicket::BatchTicket(size_t size)
    : dispositions_(size), finished_(size, false), remaining_(size) {}

void BatchTicket::Finish(size_t index, kafka::Disposition disposition) {
  std::lock_guard lock(mu_);
  if (index >= finished_.size() || finished_[index]) return;
  finished_[index] = true;
  dispositions_[index] = std::move(disposition);
  if (--remaining_ == 0) cv_.notify_all();
}

bool BatchTicket::WaitUntil(absl::Time deadline) {
  std::unique_lock lock(mu_);
  while (remaining_ > 0 && !aborted_) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) break;
    cv_.wait_for(lock, absl::ToChronoNanoseconds(std::min(left, absl::Seconds(1))));
  }
  return remaining_ == 0;
}

void BatchTicket::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return remaining_ == 0 || aborted_; });
}

void BatchTicket::Abort() {
  std::lock_guard lock(mu_);
  aborted_ = true;
  cv_.notify_all();
}

std::vector<kafka::Disposition> BatchTicket::Take() {
  std::lock_guard lock(mu_);
  std::vector<kafka::Disposition> out = dispositions_;
  for (size_t i = 0; i < out.size(); ++i) {
    if (!finished_[i]) out[i] = {kafka::Outcome::kRetry, "dispatcher stopped before an outcome"};
  }
  return out;
}

void LaneQueues::Push(std::vector<ItemPtr> items) {
  {
    std::lock_guard lock(mu_);
    for (ItemPtr& item : items) {
      if (stopped_ || item->ticket->withdrawn()) {
        item->ticket->Finish(item->index, {kafka::Outcome::kRetry, "withdrawn while waiting"});
        continue;
      }
      const int lane = item->lane;
      lanes_[lane].push_back(std::move(item));
      if (metrics_) metrics_->lane(lane).queue_depth->Set(lanes_[lane].size());
    }
  }
  cv_.notify_all();
}

std::vector<ItemPtr> LaneQueues::TakeReady(size_t max, absl::Duration max_wait) {
  std::vector<ItemPtr> out;
  std::unique_lock lock(mu_);
  const absl::Time deadline = absl::Now() + max_wait;
  while (!stopped_) {
    const absl::Time now = absl::Now();
    absl::Time next = deadline;
    for (int lane = 0; lane < kLaneCount && out.empty(); ++lane) {
      auto& q = lanes_[lane];
      for (auto it = q.begin(); it != q.end() && out.size() < max;) {
        if ((*it)->not_before <= now) {
          out.push_back(std::move(*it));
          it = q.erase(it);
        } else {
          next = std::min(next, (*it)->not_before);
          ++it;
        }
      }
      if (!out.empty() && metrics_) metrics_->lane(lane).queue_depth->Set(q.size());
    }
    if (!out.empty() || now >= deadline) break;
    cv_.wait_for(lock, absl::ToChronoNanoseconds(std::max(next - now, absl::Milliseconds(1))));
  }
  return out;
}

std::vector<ItemPtr> LaneQueues::Withdraw(const BatchTicket* ticket) {
  std::vector<ItemPtr> out;
  std::lock_guard lock(mu_);
  for (int lane = 0; lane < kLaneCount; ++lane) {
    auto& q = lanes_[lane];
    for (auto it = q.begin(); it != q.end();) {
      if ((*it)->ticket.get() == ticket) {
        out.push_back(std::move(*it));
        it = q.erase(it);
      } else {
        ++it;
      }
    }
    if (metrics_) metrics_->lane(lane).queue_depth->Set(q.size());
  }
  return out;
}

std::vector<ItemPtr> LaneQueues::StopAndDrain() {
  std::vector<ItemPtr> out;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (int lane = 0; lane < kLaneCount; ++lane) {
      for (ItemPtr& item : lanes_[lane]) out.push_back(std::move(item));
      lanes_[lane].clear();
      if (metrics_) metrics_->lane(lane).queue_depth->Set(0);
    }
  }
  cv_.notify_all();
  return out;
}

size_t LaneQueues::Depth(int lane) {
  std::lock_guard lock(mu_);
  return lanes_[lane].size();
}

}  // namespace smsflow::sender
