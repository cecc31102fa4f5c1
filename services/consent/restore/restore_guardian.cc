#include "services/consent/restore/restore_guardian.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace smsflow::consent {

GuardianMetrics::GuardianMetrics(prometheus::Registry& registry, const std::string& prefix,
                                 const std::string& what, const std::string& source)
    : ready(prometheus::BuildGauge()
                .Name(prefix + "_ready")
                .Help(absl::StrCat("1 while ", what, " is complete (ready marker present), else 0"))
                .Register(registry)
                .Add({})),
      restores(prometheus::BuildCounter()
                   .Name(prefix + "_restores_total")
                   .Help(absl::StrCat("Restores of ", what, " from ", source,
                                      ", by outcome (restored, aborted, failed)"))
                   .Register(registry)) {
  // Every outcome exported from the start, so rate() and alerts see a 0.
  for (const char* outcome : {"restored", "aborted", "failed"})
    restores.Add({{"outcome", outcome}});
}

RestoreGuardian::RestoreGuardian(RestoreTarget target, const GuardianOptions& options,
                                 GuardianMetrics& metrics)
    : target_(std::move(target)), options_(options), metrics_(metrics) {}

RestoreGuardian::~RestoreGuardian() { Stop(); }

void RestoreGuardian::Start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token stop) { Run(std::move(stop)); });
}

void RestoreGuardian::Stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();  // wakes Wait() and a restore's wait at once
  thread_.join();
}

int64_t RestoreGuardian::restores() const {
  std::lock_guard lock(mu_);
  return restores_;
}

bool RestoreGuardian::Wait(const std::stop_token& stop, std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  // Nothing else wakes it: the wait ends after `d` or at the stop request.
  wake_.wait_for(lock, stop, d, [] { return false; });
  return !stop.stop_requested();
}

void RestoreGuardian::Run(std::stop_token stop) {
  enum class Seen { kUnknown, kReady, kNotReady, kUnreachable };
  Seen seen = Seen::kUnknown;
  auto backoff = options_.initial_backoff;
  const std::string& name = target_.name;
  while (!stop.stop_requested()) {
    auto ready = target_.is_ready();
    if (!ready.ok()) {
      metrics_.ready.Set(0);
      if (seen != Seen::kUnreachable) {
        log::Warn(absl::StrCat(name, ": readiness unknown, Redis does not answer"),
                  {{"status", ready.status()}});
      }
      seen = Seen::kUnreachable;
      if (!Wait(stop, options_.check_interval)) return;
      continue;
    }
    if (*ready) {
      metrics_.ready.Set(1);
      if (seen != Seen::kReady && seen != Seen::kUnknown) log::Info(absl::StrCat(name, ": ready"));
      seen = Seen::kReady;
      backoff = options_.initial_backoff;
      if (!Wait(stop, options_.check_interval)) return;
      continue;
    }
    metrics_.ready.Set(0);
    if (seen != Seen::kNotReady) {
      log::Warn(absl::StrCat(name, ": not ready (lost or never built); restoring"),
                {{"source", target_.source}});
    }
    seen = Seen::kNotReady;
    const auto started = std::chrono::steady_clock::now();
    auto counts = target_.restore(stop);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    if (counts.ok()) {
      metrics_.restores.Add({{"outcome", "restored"}}).Increment();
      metrics_.ready.Set(1);
      {
        std::lock_guard lock(mu_);
        ++restores_;
      }
      log::Info(absl::StrCat(name, ": restored and marked ready"),
                {{"source", target_.source},
                 {"records_applied", counts->applied},
                 {"records_skipped", counts->skipped},
                 {"duration_ms", static_cast<int64_t>(ms)}});
      seen = Seen::kReady;
      backoff = options_.initial_backoff;
      continue;  // straight to the next check
    }
    switch (counts.status().code()) {
      case absl::StatusCode::kCancelled:
        return;  // stopping
      case absl::StatusCode::kAlreadyExists:
        // Another replica restores; it marks the structure ready when done.
        if (!Wait(stop, options_.check_interval)) return;
        break;
      case absl::StatusCode::kAborted:
        // Lost again mid-way: what was written is gone, so start over now.
        metrics_.restores.Add({{"outcome", "aborted"}}).Increment();
        log::Warn(absl::StrCat(name, ": restore aborted, starting again"),
                  {{"status", counts.status()}, {"duration_ms", static_cast<int64_t>(ms)}});
        break;
      default:
        metrics_.restores.Add({{"outcome", "failed"}}).Increment();
        log::Warn(
            absl::StrCat(name, ": restore failed, will retry"),
            {{"status", counts.status()}, {"retry_in_ms", static_cast<int64_t>(backoff.count())}});
        if (!Wait(stop, backoff)) return;
        backoff = std::min(backoff * 2, options_.max_backoff);
        break;
    }
  }
}

}  // namespace smsflow::consent
