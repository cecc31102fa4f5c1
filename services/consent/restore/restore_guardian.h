#pragma once
// Guardians that keep Redis state restorable from Kafka without an operator.
//
// Redis can lose its data (FLUSHALL, failover to an empty replica, no
// persistence) while consumers keep their committed offsets and would never
// replay, and a lost structure reads like an empty one. So each such
// structure carries a ready marker that goes with the data, readers refuse
// to act without it, and a RestoreGuardian notices the marker missing and
// runs the structure's restore: a replay of its Kafka topic up to the end
// offsets seen at its start, which marks the structure ready when done.
// Two use it: the ledger's ViewGuardian (the consent view, from sms.consent.v1;
// meanwhile the gate approves nothing and the ledger consumer waits) and the
// gate's DeferredGuardian (held requests, from sms.outbound.deferred.v1;
// meanwhile nothing held is released).
//
// RestoreGuardian: one background thread; checks the marker at start and
// then every check_interval; a failed restore is retried with exponential
// backoff, a restore whose claim was lost (flushed again mid-way) starts
// again at once, and a restore claimed by another replica is left to
// finish. Start/Stop from the owner's thread; Stop() wakes the thread and
// joins it promptly. Borrows the metrics, which must outlive it.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace smsflow::consent {

// What one restore did, for the log.
struct RestoreCounts {
  int64_t applied = 0;
  int64_t skipped = 0;  // records that could not be read
};

struct RestoreTarget {
  std::string name;    // in logs: "consent view"
  std::string source;  // in logs: the topic it is restored from
  std::function<absl::StatusOr<bool>()> is_ready;
  // Restores and marks ready. OK restored; ALREADY_EXISTS another restore
  // holds the claim; ABORTED the claim was lost mid-way (start again);
  // CANCELLED `stop` was requested; anything else failed (retried later).
  std::function<absl::StatusOr<RestoreCounts>(std::stop_token stop)> restore;
};

// What every guardian takes: its Kafka cluster, how often it looks, how it
// backs off, and what its restores are given.
struct GuardianOptions {
  std::string brokers;
  std::chrono::milliseconds check_interval{std::chrono::seconds(1)};
  std::chrono::milliseconds initial_backoff{std::chrono::seconds(1)};
  std::chrono::milliseconds max_backoff{std::chrono::seconds(30)};
  std::chrono::milliseconds claim_lease{std::chrono::seconds(30)};
  std::chrono::milliseconds restore_timeout{std::chrono::minutes(30)};
  std::map<std::string, std::string> consumer_extra;  // librdkafka properties
};

// <prefix>_ready and <prefix>_restores_total{outcome}. Registered once per
// process and prefix.
struct GuardianMetrics {
  // `what` and `source` only word the help texts.
  GuardianMetrics(prometheus::Registry& registry, const std::string& prefix,
                  const std::string& what, const std::string& source);
  // 1 while the last check found the structure ready; 0 when it was not (or
  // Redis did not answer).
  prometheus::Gauge& ready;
  // {outcome (restored|aborted|failed)}.
  prometheus::Family<prometheus::Counter>& restores;
};

class RestoreGuardian {
 public:
  // Uses the check interval and backoffs of `options`.
  RestoreGuardian(RestoreTarget target, const GuardianOptions& options, GuardianMetrics& metrics);
  ~RestoreGuardian();  // Stop()
  RestoreGuardian(const RestoreGuardian&) = delete;
  RestoreGuardian& operator=(const RestoreGuardian&) = delete;

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

  const RestoreTarget target_;
  const GuardianOptions options_;  // only the timing is used
  GuardianMetrics& metrics_;
  mutable std::mutex mu_;
  std::condition_variable_any wake_;
  int64_t restores_ = 0;  // guarded by mu_
  std::jthread thread_;
};

}  // namespace smsflow::consent
