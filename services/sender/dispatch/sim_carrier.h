#pragma once
// The simulated carrier, for local runs, tests and the load generator.
//
// SimCarrierNetwork is the carrier's side (think: its SMSC): it records every
// submission it receives, from every connection, in arrival order, mints
// provider message ids and answers lookups by client reference. Tests read
// it to count submissions per message id and per second. Thread-safe; must
// outlive the SimCarriers bound to it.
//
// SimCarrier is one connection (one dispatcher's bind) to a network: an
// in-process CarrierAdapter with configurable latency, throttling and
// failure ratios, a window of in-flight submissions, and delivery receipts
// per part delivered later and out of order to the sink given at
// construction. Owns one timer thread that runs callbacks and receipts.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "services/sender/dispatch/carrier.h"

namespace smsflow::sender {

struct SimSubmissionRecord {
  std::string message_id;
  std::string tenant_id;
  std::string from;
  std::string to;
  int parts = 1;
  int attempt = 1;
  bool accepted = false;
  std::string error_code;
  std::vector<std::string> provider_ids;  // per part, when accepted
  absl::Time time;                        // when the carrier received it
  std::string connection;
};

class SimCarrierNetwork {
 public:
  // Records a submission and returns its record (provider ids minted when
  // `accepted`).
  SimSubmissionRecord Record(const Submission& s, const std::string& connection, bool accepted,
                             const std::string& error_code);
  std::vector<SimSubmissionRecord> Submissions() const;
  std::vector<SimSubmissionRecord> Accepted() const;
  size_t AcceptedCount() const;
  // Accepted submissions under `message_id` (the client reference).
  std::vector<SimSubmissionRecord> AcceptedFor(const std::string& message_id) const;

 private:
  mutable std::mutex mu_;
  std::vector<SimSubmissionRecord> records_;
  std::multimap<std::string, size_t> accepted_by_ref_;
  uint64_t next_id_ = 1;
};

struct SimCarrierOptions {
  std::string connection = "sim";  // provider name on events
  absl::Duration min_latency = absl::Milliseconds(1);
  absl::Duration max_latency = absl::Milliseconds(5);
  double throttle_ratio = 0.0;     // throttled "0x00000058" (ESME_RTHROTTLED)
  double failure_ratio = 0.0;      // permanent "0x0000000B" (ESME_RINVDSTADR)
  double undelivered_ratio = 0.0;  // accepted, then an UNDELIV receipt per part
  bool receipts = true;
  absl::Duration min_receipt_delay = absl::Milliseconds(5);
  absl::Duration max_receipt_delay = absl::Milliseconds(50);
  size_t window = 100;  // more in flight: transient "0x00000014" (ESME_RMSGQFUL)
  uint64_t seed = 1;
};

class SimCarrier : public CarrierAdapter {
 public:
  SimCarrier(SimCarrierNetwork& network, SimCarrierOptions options, ReceiptSink sink);
  ~SimCarrier() override;  // Stop()

  const std::string& provider() const override { return options_.connection; }
  size_t window() const override { return options_.window; }
  void Submit(Submission submission, SubmitCallback done) override;
  absl::StatusOr<std::optional<SubmitResult>> LookupByReference(
      const std::string& message_id) override;
  void Stop() override;

  size_t in_flight() const { return in_flight_.load(); }

 private:
  struct Task {
    absl::Time at;
    uint64_t seq;
    std::function<void()> run;
    bool operator>(const Task& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  void Schedule(absl::Time at, std::function<void()> run);       // requires mu_
  absl::Duration Between(absl::Duration lo, absl::Duration hi);  // requires mu_
  void Run();

  SimCarrierNetwork& network_;
  SimCarrierOptions options_;
  ReceiptSink sink_;
  std::atomic<size_t> in_flight_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Task> tasks_;  // min-heap by time; guarded by mu_
  uint64_t seq_ = 0;
  std::mt19937_64 rng_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace smsflow::sender
