#pragma once
// ViewGuardian: keeps the live consent view restorable without an operator.
//
// If Redis loses its data (FLUSHALL, failover to an empty replica, no
// persistence), the live ledger consumer keeps its committed offsets and
// would never replay, so the view would stay empty and every opt-out would
// read as "no state". The view's ready marker goes with the data, so readers
// answer UNAVAILABLE (nothing is approved or sent) and the live consumer
// waits; this guardian notices, restores the view from sms.consent.v1 (a
// RebuildView restore into the live prefixes, up to the end offsets seen at
// its start) and marks it ready, after which everything resumes.
//
// One background thread: checks the marker at start and then every
// check_interval; a failed restore is retried with exponential backoff, a
// restore whose claim was lost (flushed again mid-way) starts again at once,
// and a restore claimed by another replica is left to finish. Start/Stop
// from the owner's thread; Stop() wakes the thread and joins it promptly.
// Borrows the pool, producer and metrics, which must outlive it.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "lib/consent_view/consent_view.h"
#include "lib/kafka/producer.h"
#include "lib/redis/client.h"
#include "services/consent/ledger/consent_history.h"

namespace smsflow::consent::ledger {

struct ViewGuardianOptions {
  std::string brokers;
  std::string topic = "sms.consent.v1";
  std::string view_prefix = consentview::kLivePrefix;
  std::string history_prefix = kLiveHistoryPrefix;
  std::chrono::milliseconds check_interval{std::chrono::seconds(1)};
  std::chrono::milliseconds initial_backoff{std::chrono::seconds(1)};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(30)};
  std::chrono::milliseconds claim_lease{std::chrono::seconds(30)};
  std::chrono::milliseconds restore_timeout{std::chrono::minutes(30)};
  std::map<std::string, std::string> consumer_extra;  // librdkafka properties
};

// smsflow_consent_view_* metrics. Registered once per process.
struct ViewGuardianMetrics {
  explicit ViewGuardianMetrics(prometheus::Registry& registry);
  // 1 while the last check found the view ready; 0 when it was not (or Redis
  // did not answer): the gate and the dispatcher are then holding everything.
  prometheus::Gauge& ready;
  // {outcome (restored|aborted|failed)}: restores of the live view.
  prometheus::Family<prometheus::Counter>& restores;
};

class ViewGuardian {
 public:
  ViewGuardian(ViewGuardianOptions options, redis::Pool& pool, kafka::Producer& producer,
               ViewGuardianMetrics& metrics);
  ~ViewGuardian();  // Stop()
  ViewGuardian(const ViewGuardian&) = delete;
  ViewGuardian& operator=(const ViewGuardian&) = delete;

  void Start();
  // Ends a restore in progress (its claim is released; it starts over on the
  // next start) and joins the thread. Idempotent.
  void Stop();

  // Restores this guardian completed (for tests and logs).
  int64_t restores() const;

 private:
  void Run(std::stop_token stop);
  // Waits `d` or until a stop request; false when stopping.
  bool Wait(const std::stop_token& stop, std::chrono::milliseconds d);

  const ViewGuardianOptions options_;
  redis::Pool& pool_;
  kafka::Producer& producer_;
  ViewGuardianMetrics& metrics_;
  consentview::ConsentView view_;
  mutable std::mutex mu_;
  std::condition_variable_any wake_;
  int64_t restores_ = 0;  // guarded by mu_
  std::jthread thread_;
};

}  // namespace smsflow::consent::ledger
