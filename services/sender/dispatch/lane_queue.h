#pragma once
// In-memory lanes between the Kafka lane consumers and the dispatch loop.
//
// Priority is STRICT: TakeReady() always serves the highest lane that has a
// ready message (ready = its not_before has passed: send time, rate-limit
// wait, retry backoff). A lower lane is served only while every higher lane
// is empty or entirely waiting, so a marketing backlog never delays an otp,
// and a waiting otp takes the next tokens as soon as they exist (it is
// checked first). Starvation of low lanes under sustained high-lane traffic
// is intended: otp/transactional volume is small and bursty, and a starved
// marketing message ends EXPIRED at its validity rather than delaying a code.
//
// Back-pressure: each lane consumer hands over one Kafka batch (a
// BatchTicket) and blocks until every message of it reached a final outcome,
// so a lane holds at most max_batch messages and its consumer polls no more
// while they wait. Offsets are committed only for messages whose ticket says
// kDone.
//
// Thread-safe. Items are owned by whoever holds their unique_ptr: the queue,
// the dispatch loop, or the completion path.

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "lib/kafka/consumer.h"
#include "services/sender/dispatch/dispatch_metrics.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::sender {

// The dispositions of one consumer batch, filled as its messages finish.
class BatchTicket {
 public:
  explicit BatchTicket(size_t size);
  // Records the outcome of message `index` (first call wins).
  void Finish(size_t index, kafka::Disposition disposition);
  // True when every message finished before `deadline`.
  bool WaitUntil(absl::Time deadline);
  // Waits until every message finished or Abort() was called.
  void Wait();
  // Crash simulation and hard stops: waiters return now; unfinished messages
  // become kRetry (not committed, redelivered).
  void Abort();
  // Messages still queued for this ticket are withdrawn (kRetry) instead of
  // requeued from now on.
  void MarkWithdrawn() { withdrawn_ = true; }
  bool withdrawn() const { return withdrawn_; }
  std::vector<kafka::Disposition> Take();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<kafka::Disposition> dispositions_;
  std::vector<bool> finished_;
  size_t remaining_;
  bool aborted_ = false;
  std::atomic<bool> withdrawn_{false};
};

struct DispatchItem {
  v1::ApprovedMessage approved;
  int lane = 0;             // 0 = otp ... 3 = marketing
  absl::Time not_before;    // not taken before this
  int attempt = 0;          // carrier submissions made so far
  std::string claim_value;  // idempotency claim value while we own the claim
  std::string from;         // chosen sending number
  bool active = false;      // registered in the dispatcher's active set
  std::shared_ptr<BatchTicket> ticket;
  size_t index = 0;  // in the ticket
  const std::string& id() const { return approved.request().message_id(); }
};
using ItemPtr = std::unique_ptr<DispatchItem>;

class LaneQueues {
 public:
  explicit LaneQueues(DispatchMetrics* metrics) : metrics_(metrics) {}

  // Adds items (each to its lane). Items of a withdrawn ticket, or after
  // Stop(), finish kRetry instead.
  void Push(std::vector<ItemPtr> items);
  // Up to `max` ready items of the highest lane that has one, in arrival
  // order; waits up to `max_wait` for one. Empty after Stop().
  std::vector<ItemPtr> TakeReady(size_t max, absl::Duration max_wait);
  // Removes and returns the queued items of `ticket`.
  std::vector<ItemPtr> Withdraw(const BatchTicket* ticket);
  // Removes everything; later pushes finish kRetry.
  std::vector<ItemPtr> StopAndDrain();
  void Wake() { cv_.notify_all(); }
  size_t Depth(int lane);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::array<std::deque<ItemPtr>, kLaneCount> lanes_;
  bool stopped_ = false;
  DispatchMetrics* metrics_;
};

}  // namespace smsflow::sender
