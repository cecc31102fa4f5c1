#include "services/consent/ledger/view_guardian.h"

#include <algorithm>

#include "lib/log/log.h"
#include "services/consent/ledger/view_rebuild.h"

namespace smsflow::consent::ledger {

ViewGuardianMetrics::ViewGuardianMetrics(prometheus::Registry& registry)
    : ready(prometheus::BuildGauge()
                .Name("smsflow_consent_view_ready")
                .Help("1 while the Redis consent view is complete (ready marker present), else 0")
                .Register(registry)
                .Add({})),
      restores(prometheus::BuildCounter()
                   .Name("smsflow_consent_view_restores_total")
                   .Help("Restores of the live consent view from sms.consent.v1, by outcome "
                         "(restored, aborted, failed)")
                   .Register(registry)) {
  // Every outcome exported from the start, so rate() and alerts see a 0.
  for (const char* outcome : {"restored", "aborted", "failed"})
    restores.Add({{"outcome", outcome}});
}

ViewGuardian::ViewGuardian(ViewGuardianOptions options, redis::Pool& pool,
                           kafka::Producer& producer, ViewGuardianMetrics& metrics)
    : options_(std::move(options)),
      pool_(pool),
      producer_(producer),
      metrics_(metrics),
      view_(pool, options_.view_prefix) {}

ViewGuardian::~ViewGuardian() { Stop(); }

void ViewGuardian::Start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { Run(std::move(stop)); });
}

void ViewGuardian::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();  // wakes Wait() and a restore's wait at once
  thread_.join();
}

int64_t ViewGuardian::restores() const {
  std::lock_guard lock(mu_);
  return restores_;
}

bool ViewGuardian::Wait(const std::stop_token& stop, std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  // Nothing else wakes it: the wait ends after `d` or at the stop request.
  wake_.wait_for(lock, stop, d, [] { return false; });
  return !stop.stop_requested();
}

void ViewGuardian::Run(std::stop_token stop) {
  enum class Seen { kUnknown, kReady, kNotReady, kUnreachable };
  Seen seen = Seen::kUnknown;
  auto backoff = options_.initial_backoff;
  while (!stop.stop_requested()) {
    auto ready = view_.IsReady();
    if (!ready.ok()) {
      metrics_.ready.Set(0);
      if (seen != Seen::kUnreachable) {
        log::Warn("consent view: readiness unknown, Redis does not answer",
                  {{"status", ready.status()}});
      }
      seen = Seen::kUnreachable;
      if (!Wait(stop, options_.check_interval)) return;
      continue;
    }
    if (*ready) {
      metrics_.ready.Set(1);
      if (seen != Seen::kReady && seen != Seen::kUnknown) log::Info("consent view: ready");
      seen = Seen::kReady;
      backoff = options_.initial_backoff;
      if (!Wait(stop, options_.check_interval)) return;
      continue;
    }
    metrics_.ready.Set(0);
    if (seen != Seen::kNotReady) {
      log::Warn("consent view: not ready (lost or never built); restoring from the ledger",
                {{"prefix", options_.view_prefix}, {"topic", options_.topic}});
    }
    seen = Seen::kNotReady;
    const auto started = std::chrono::steady_clock::now();
    auto report = RebuildView({.brokers = options_.brokers,
                               .topic = options_.topic,
                               .view_prefix = options_.view_prefix,
                               .history_prefix = options_.history_prefix,
                               .restore = true,
                               .claim_lease = options_.claim_lease,
                               .timeout = options_.restore_timeout,
                               .consumer_extra = options_.consumer_extra,
                               .stop = stop},
                              pool_, producer_);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (report.ok()) {
      metrics_.restores.Add({{"outcome", "restored"}}).Increment();
      metrics_.ready.Set(1);
      {
        std::lock_guard lock(mu_);
        ++restores_;
      }
      log::Info("consent view: restored from the ledger and marked ready",
                {{"events_applied", report->events_applied},
                 {"events_skipped", report->events_skipped},
                 {"duration_ms", static_cast<int64_t>(ms)}});
      seen = Seen::kReady;
      backoff = options_.initial_backoff;
      continue;  // straight to the next check
    }
    switch (report.status().code()) {
      case absl::StatusCode::kCancelled:
        return;  // stopping
      case absl::StatusCode::kAlreadyExists:
        // Another replica restores; it marks the view ready when done.
        if (!Wait(stop, options_.check_interval)) return;
        break;
      case absl::StatusCode::kAborted:
        // Lost again mid-way: what was folded is gone, so start over now.
        metrics_.restores.Add({{"outcome", "aborted"}}).Increment();
        log::Warn("consent view: restore aborted, starting again",
                  {{"status", report.status()}, {"duration_ms", static_cast<int64_t>(ms)}});
        break;
      default:
        metrics_.restores.Add({{"outcome", "failed"}}).Increment();
        log::Warn(
            "consent view: restore failed, will retry",
            {{"status", report.status()}, {"retry_in_ms", static_cast<int64_t>(backoff.count())}});
        if (!Wait(stop, backoff)) return;
        backoff = std::min(backoff * 2, options_.max_backoff);
        break;
    }
  }
}

}  // namespace smsflow::consent::ledger
