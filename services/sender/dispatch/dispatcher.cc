#include "services/sender/dispatch/dispatcher.h"

#include <stdexcept>

#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "lib/sms/message_id.h"
#include "services/sender/dispatch/validity.h"

namespace smsflow::sender {

Dispatcher::Dispatcher(DispatcherDeps deps, DispatcherOptions options, CarrierFactory carrier)
    : deps_(std::move(deps)),
      options_(std::move(options)),
      retry_(options_.retry),
      queues_(deps_.metrics) {
  if (deps_.producer == nullptr || deps_.claims == nullptr || deps_.cancellations == nullptr ||
      deps_.consent == nullptr || deps_.provider_ids == nullptr || deps_.limiter == nullptr ||
      deps_.policy == nullptr || deps_.metrics == nullptr) {
    throw std::invalid_argument("Dispatcher: every dependency is required");
  }
  if (options_.instance_id.empty()) options_.instance_id = sms::NewMessageId();
  for (int i = 0; i < kLaneCount; ++i) {
    if (options_.lane_topics[i].empty()) {
      options_.lane_topics[i] = std::string(kafka::topics::kApprovedLanes[i]);
    }
  }
  options_.group_size = std::max<size_t>(1, options_.group_size);
  carrier_ = carrier([this](Receipt r) { OnReceipt(std::move(r)); });
  if (carrier_ == nullptr) throw std::invalid_argument("Dispatcher: carrier factory returned null");
}

Dispatcher::~Dispatcher() { Stop(); }

absl::Status Dispatcher::Start() {
  if (started_.exchange(true)) return absl::FailedPreconditionError("dispatcher already started");
  completion_thread_ = std::thread([this] { CompletionLoop(); });
  receipt_thread_ = std::thread([this] { ReceiptLoop(); });
  dispatch_thread_ = std::thread([this] { DispatchLoop(); });
  for (int lane = 0; lane < kLaneCount; ++lane) {
    kafka::ConsumerOptions opts = options_.consumer;
    opts.group_id = options_.consumer.group_id + "." + LaneName(lane);
    opts.topics = {options_.lane_topics[lane]};
    opts.client_id = options_.consumer.client_id + "-" + LaneName(lane);
    // The handler may hold a batch for hold_horizon plus in-flight answers:
    // stay well inside the poll interval so the group keeps us.
    const auto horizon_ms = absl::ToInt64Milliseconds(options_.hold_horizon);
    opts.extra.try_emplace("max.poll.interval.ms", std::to_string(horizon_ms + 120000));
    consumers_[lane] = std::make_unique<kafka::Consumer>(
        opts,
        kafka::ProtoBatchHandler<v1::ApprovedMessage>(
            [this, lane](const kafka::ProtoBatch<v1::ApprovedMessage>& batch) {
              return HandleBatch(lane, batch);
            }),
        deps_.producer);
    absl::Status st = consumers_[lane]->Start();
    if (!st.ok()) return st;
  }
  log::Info("dispatcher started",
            {{"instance", options_.instance_id}, {"provider", carrier_->provider()}});
  return absl::OkStatus();
}

void Dispatcher::Stop() {
  if (!started_ || stopping_.exchange(true)) return;
  // 1. Queued messages go back to Kafka uncommitted; their owners (other
  //    replicas, or us after restart) take them from there. Their claims
  //    were released when they were queued, so nobody has to wait.
  for (ItemPtr& item : queues_.StopAndDrain()) {
    FinishItem(std::move(item), kafka::Outcome::kRetry, "handed_back", "dispatcher stopping");
  }
  // 2. Consumers return once their in-flight submissions are final, commit,
  //    and leave their groups. The completion thread and carrier must live
  //    until then.
  for (auto& consumer : consumers_) {
    if (consumer) consumer->Stop();
  }
  window_cv_.notify_all();
  if (dispatch_thread_.joinable()) dispatch_thread_.join();
  {
    std::lock_guard lock(work_mu_);
    work_stop_ = true;
  }
  work_cv_.notify_all();
  if (completion_thread_.joinable()) completion_thread_.join();
  // 3. No more answers or receipts; then publish the receipts we hold.
  carrier_->Stop();
  {
    std::lock_guard lock(receipts_mu_);
    receipts_stop_ = true;
  }
  receipts_cv_.notify_all();
  if (receipt_thread_.joinable()) receipt_thread_.join();
  log::Info("dispatcher stopped", {{"instance", options_.instance_id}});
}

void Dispatcher::CrashForTest() {
  if (!started_) return;
  crashed_ = true;
  stopping_ = true;
  carrier_->Stop();  // pending answers are lost with the "process"
  {
    std::lock_guard lock(tickets_mu_);
    for (auto& weak : tickets_) {
      if (auto t = weak.lock()) t->Abort();
    }
  }
  queues_.StopAndDrain();
  for (auto& consumer : consumers_) {
    if (consumer) consumer->Stop();
  }
  window_cv_.notify_all();
  if (dispatch_thread_.joinable()) dispatch_thread_.join();
  {
    std::lock_guard lock(work_mu_);
    work_stop_ = true;
  }
  work_cv_.notify_all();
  if (completion_thread_.joinable()) completion_thread_.join();
  {
    std::lock_guard lock(receipts_mu_);
    receipts_stop_ = true;
    receipts_.clear();
  }
  receipts_cv_.notify_all();
  if (receipt_thread_.joinable()) receipt_thread_.join();
}

bool Dispatcher::Healthy() const {
  if (!started_ || stopping_) return false;
  for (const auto& consumer : consumers_) {
    if (!consumer || !consumer->Healthy()) return false;
  }
  return true;
}

std::vector<kafka::Disposition> Dispatcher::HandleBatch(
    int lane, const kafka::ProtoBatch<v1::ApprovedMessage>& batch) {
  auto ticket = std::make_shared<BatchTicket>(batch.size());
  if (stopping_) {
    ticket->Abort();
    return ticket->Take();
  }
  {
    std::lock_guard lock(tickets_mu_);
    std::erase_if(tickets_, [](const std::weak_ptr<BatchTicket>& w) { return w.expired(); });
    tickets_.push_back(ticket);
  }
  const absl::Time now = absl::Now();
  std::vector<ItemPtr> items;
  items.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    const v1::OutboundRequest& req = batch[i].second.request();
    std::string bad;
    if (req.message_id().empty())
      bad = "request.message_id: missing";
    else if (req.tenant_id().empty())
      bad = "request.tenant_id: missing";
    else if (req.to().empty())
      bad = "request.to: missing";
    else if (req.body().empty())
      bad = "request.body: empty";
    else if (req.from().empty() && req.sender_pool().empty())
      bad = "request.from: missing";
    if (!bad.empty()) {
      ticket->Finish(i, {kafka::Outcome::kDeadLetter, bad});
      deps_.metrics->Outcome(lane, "invalid");
      continue;
    }
    auto item = std::make_unique<DispatchItem>();
    item->approved = batch[i].second;
    item->lane = lane;
    item->ticket = ticket;
    item->index = i;
    const Validity v = CheckValidity(item->approved, now);
    item->not_before = v.state == Validity::State::kNotYet ? v.not_before : now;
    items.push_back(std::move(item));
  }
  queues_.Push(std::move(items));
  if (!ticket->WaitUntil(now + options_.hold_horizon)) {
    // Still waiting (rate limits, send times): hand the queued rest back to
    // Kafka so this consumer keeps polling within its interval; what is in
    // flight finishes first.
    ticket->MarkWithdrawn();
    for (ItemPtr& item : queues_.Withdraw(ticket.get())) {
      FinishItem(std::move(item), kafka::Outcome::kRetry, "handed_back", "held past hold horizon");
    }
    ticket->Wait();
  }
  return ticket->Take();
}

void Dispatcher::DispatchLoop() {
  while (!stopping_) {
    const size_t window = std::max<size_t>(1, carrier_->window());
    size_t free = 0;
    {
      std::unique_lock lock(window_mu_);
      window_cv_.wait_for(lock, std::chrono::milliseconds(100),
                          [&] { return stopping_ || submitting_.load() < window; });
      if (stopping_) break;
      if (submitting_.load() >= window) continue;
      free = window - submitting_.load();
    }
    std::vector<ItemPtr> group =
        queues_.TakeReady(std::min(free, options_.group_size), absl::Milliseconds(100));
    if (group.empty()) continue;
    if (crashed_) break;
    ProcessGroup(std::move(group));
  }
}

void Dispatcher::FinishItem(ItemPtr item, kafka::Outcome outcome, const std::string& metric_outcome,
                            std::string reason) {
  ClearActive(*item);
  deps_.metrics->Outcome(item->lane, metric_outcome);
  item->ticket->Finish(item->index, {outcome, std::move(reason)});
}

void Dispatcher::Requeue(ItemPtr item, absl::Time not_before) {
  ClearActive(*item);
  item->claim_value.clear();
  item->not_before = not_before;
  std::vector<ItemPtr> one;
  one.push_back(std::move(item));
  queues_.Push(std::move(one));
}

bool Dispatcher::MarkActive(DispatchItem& item) {
  std::lock_guard lock(active_mu_);
  item.active = active_.insert(item.id()).second;
  return item.active;
}

void Dispatcher::ClearActive(DispatchItem& item) {
  if (!item.active) return;
  std::lock_guard lock(active_mu_);
  active_.erase(item.id());
  item.active = false;
}

}  // namespace smsflow::sender
