#pragma once
// Dispatcher: takes gate-approved messages from the four lane topics to the
// carrier, at most once per message id, within every rate limit, with the
// last-moment opt-out, cancellation and validity checks, and publishes each
// step as a DeliveryEvent on sms.delivery.v1.
//
// Per message (see dispatch_group.cc for the why of each step):
//   claim (IdempotencyStore, key = message id) -> validity -> cancellation
//   -> opt-out (ConsentView) -> token buckets (one Lua call per group) ->
//   SENDING event -> carrier Submit -> SENT (per part) / FAILED event, acked
//   -> ProviderIdIndex -> claim completed -> offset committable.
// A redelivered message whose claim is done is skipped (already decided). A
// claim left pending by a dead dispatcher is taken over after the store's
// takeover timeout and reconciled with the carrier by client reference; a
// carrier without lookup makes the dispatcher presume it was submitted (a
// SENT event saying so), never send it twice.
//
// Threads: one Kafka consumer per lane (blocked in its handler while its
// batch is in the lanes), one dispatch loop, one completion thread (carrier
// answers, event acks, claims), one receipt thread; the carrier adapter and
// the producer call back on their own threads. Start() once; Stop() drains:
// queued messages go back to Kafka uncommitted (kRetry), submissions in
// flight finish and commit. Everything borrowed must outlive the Dispatcher.

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "lib/config/tenants.h"
#include "lib/consent_view/consent_view.h"
#include "lib/kafka/consumer.h"
#include "lib/kafka/producer.h"
#include "lib/kafka/proto_handler.h"
#include "lib/store/cancellations.h"
#include "lib/store/idempotency.h"
#include "lib/store/provider_ids.h"
#include "services/sender/dispatch/carrier.h"
#include "services/sender/dispatch/dispatch_metrics.h"
#include "services/sender/dispatch/lane_queue.h"
#include "services/sender/dispatch/rate_limiter.h"
#include "services/sender/dispatch/retry_policy.h"

namespace smsflow::sender {

struct DispatcherDeps {
  kafka::Producer* producer;        // delivery events and the consumers' DLQ
  store::IdempotencyStore* claims;  // prefix "smsflow:sender:dispatch:"
  store::CancellationStore* cancellations;
  consentview::ConsentView* consent;
  store::ProviderIdIndex* provider_ids;
  RateLimiter* limiter;
  std::shared_ptr<const RateLimitPolicy> policy;
  std::shared_ptr<const config::TenantDirectory> tenants;
  DispatchMetrics* metrics;
};

struct DispatcherOptions {
  // Kafka: brokers, group id prefix (each lane's group is
  // "<group_id>.<lane>"), client id, extra properties. Topics are set here.
  kafka::ConsumerOptions consumer;
  std::array<std::string, kLaneCount> lane_topics;  // default: topics::kApprovedLanes
  std::string instance_id;  // default: a fresh UUIDv7 (claims are marked with it)
  size_t group_size = 100;  // messages per round of Redis checks
  // Longest a consumer batch waits; then its messages still queued (rate
  // limited, scheduled) go back to Kafka and are redelivered. Keeps the
  // consumer well inside max.poll.interval.ms.
  absl::Duration hold_horizon = absl::Seconds(30);
  absl::Duration redis_backoff = absl::Milliseconds(250);     // Redis unavailable: wait, retry
  absl::Duration inflight_recheck = absl::Milliseconds(500);  // claim held by another owner
  absl::Duration produce_retry = absl::Milliseconds(500);     // an event was not acked
  // A carrier's "slow down" (ErrorKind::kThrottled) pauses its connection
  // this long for every replica; each further one extends the pause.
  absl::Duration throttle_pause = absl::Seconds(1);
  RetryOptions retry;
  int unmatched_receipt_retries = 5;  // receipt before its index entry: look again
};

class Dispatcher {
 public:
  using CarrierFactory = std::function<std::unique_ptr<CarrierAdapter>(ReceiptSink)>;

  Dispatcher(DispatcherDeps deps, DispatcherOptions options, CarrierFactory carrier);
  ~Dispatcher();  // Stop()
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Starts the worker threads, then the four lane consumers.
  absl::Status Start();
  // Graceful: consumers stop taking batches, queued messages are handed
  // back uncommitted, in-flight submissions finish and are committed; then
  // workers and the carrier stop. Idempotent.
  void Stop();
  // Test hook: behave like a process crash between consume and commit. No
  // further claim, event or commit happens; consumers commit nothing not
  // already final; the carrier connection drops its pending answers.
  void CrashForTest();

  bool Healthy() const;
  CarrierAdapter& carrier() { return *carrier_; }
  const std::string& instance_id() const { return options_.instance_id; }

  // The consumer handler of lane `lane` (public for tests of the handler).
  std::vector<kafka::Disposition> HandleBatch(int lane,
                                              const kafka::ProtoBatch<v1::ApprovedMessage>& batch);

 private:
  // A unit of work for the completion thread.
  struct Work {
    enum class Kind {
      kAnswer,   // the carrier answered (or reconciliation found the answer)
      kAcked,    // every event of `events` was acknowledged (ok) or not
      kPublish,  // (re)publish `events`: after a failed ack
    };
    Kind kind = Kind::kAnswer;
    ItemPtr item;
    SubmitResult result;
    bool reconciled = false;  // found by lookup after a takeover
    bool presumed = false;    // carrier cannot look up: presumed submitted
    bool ok = true;
    std::vector<v1::DeliveryEvent> events;
    std::string outcome;  // metric outcome once final
    absl::Time at;        // not before
  };

  // dispatcher.cc
  void DispatchLoop();
  void FinishItem(ItemPtr item, kafka::Outcome outcome, const std::string& metric_outcome,
                  std::string reason = "");
  void Requeue(ItemPtr item, absl::Time not_before);
  // The active set: message ids this process handles between claim and
  // outcome, so a second copy of one waits instead of racing it.
  bool MarkActive(DispatchItem& item);
  void ClearActive(DispatchItem& item);
  // dispatch_group.cc
  void ProcessGroup(std::vector<ItemPtr> group);
  void CheckAndLimit(std::vector<ItemPtr> owned, std::vector<store::KeyValue>* release,
                     std::vector<std::pair<ItemPtr, absl::Time>>* hold);
  void SubmitAll(std::vector<ItemPtr> items);
  std::string ChooseFrom(const v1::OutboundRequest& request) const;
  // dispatch_completion.cc
  void CompletionLoop();
  void PushWork(Work work);
  void OnCarrierAnswer(ItemPtr item, SubmitResult result, bool reconciled, bool presumed);
  void Publish(ItemPtr item, std::vector<v1::DeliveryEvent> events, std::string outcome);
  void HandleAnswers(std::vector<Work> answers, std::vector<Work>* later);
  void HandleAcked(std::vector<Work> acked, std::vector<Work>* later);
  void Terminal(ItemPtr item, v1::MessageStatus status, v1::ReasonCode reason,
                std::string description, std::string outcome);
  void FireAndForget(const v1::DeliveryEvent& event);
  // The carrier said "slow down" answering `item`: pause its connection.
  void PauseCarrier(const DispatchItem& item, const std::string& code);
  // receipt_relay.cc
  void OnReceipt(Receipt receipt);
  void ReceiptLoop();

  DispatcherDeps deps_;
  DispatcherOptions options_;
  RetryPolicy retry_;
  std::unique_ptr<CarrierAdapter> carrier_;
  LaneQueues queues_;
  std::array<std::unique_ptr<kafka::Consumer>, kLaneCount> consumers_;

  std::atomic<bool> started_{false}, stopping_{false}, crashed_{false};
  std::atomic<uint64_t> claim_seq_{0};
  std::atomic<size_t> submitting_{0};  // carrier submissions without an answer
  std::mutex window_mu_;
  std::condition_variable window_cv_;  // a submission was answered

  std::mutex tickets_mu_;
  std::vector<std::weak_ptr<BatchTicket>> tickets_;  // live consumer batches

  std::mutex active_mu_;
  std::set<std::string> active_;  // message ids past their claim in this process

  std::mutex work_mu_;
  std::condition_variable work_cv_;
  std::deque<Work> work_;
  bool work_stop_ = false;

  std::mutex receipts_mu_;
  std::condition_variable receipts_cv_;
  std::deque<std::pair<Receipt, int>> receipts_;  // receipt, lookups tried
  bool receipts_stop_ = false;

  std::thread dispatch_thread_, completion_thread_, receipt_thread_;
};

}  // namespace smsflow::sender
