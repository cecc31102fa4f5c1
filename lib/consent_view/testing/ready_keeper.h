#pragma once
// ReadyKeeper: for integration tests of services that only READ the consent
// view (the sender's dispatcher) and so run without the consent service. It
// plays the part of consent's ViewGuardian over an empty ledger: marks the
// view ready at construction, and again whenever Redis comes back without
// the marker (a test redis-server keeps nothing across Stop/Start, which in
// production would be a lost view that the guardian restores).
//
// One background thread, ended and joined by the destructor; borrows the
// view, which must outlive it. Test-only: production code never marks a view
// ready without replaying the ledger.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "lib/consent_view/consent_view.h"

namespace smsflow::consentview::testing {

class ReadyKeeper {
 public:
  explicit ReadyKeeper(ConsentView& view,
                       std::chrono::milliseconds interval = std::chrono::milliseconds(20))
      : view_(view) {
    if (!MarkIfMissing()) throw std::runtime_error("ReadyKeeper: cannot mark the view ready");
    thread_ = std::jthread([this, interval](std::stop_token stop) {
      std::mutex mu;
      std::condition_variable_any cv;
      std::unique_lock lock(mu);
      // Woken by the stop request; otherwise looks again every `interval`.
      while (true) {
        cv.wait_for(lock, stop, interval, [] { return false; });
        if (stop.stop_requested()) return;
        MarkIfMissing();
      }
    });
  }
  ~ReadyKeeper() = default;  // jthread: request_stop + join
  ReadyKeeper(const ReadyKeeper&) = delete;
  ReadyKeeper& operator=(const ReadyKeeper&) = delete;

 private:
  // False while Redis does not answer.
  bool MarkIfMissing() {
    auto ready = view_.IsReady();
    if (!ready.ok()) return false;
    if (*ready) return true;
    auto claimed = view_.BeginRestore("ready-keeper", std::chrono::seconds(10));
    return claimed.ok() && *claimed && view_.MarkReady("ready-keeper").ok();
  }

  ConsentView& view_;
  std::jthread thread_;  // last: stopped and joined before view_ goes
};

}  // namespace smsflow::consentview::testing
