#include "services/consent/gate/releaser.h"

#include <chrono>

#include "lib/log/log.h"

namespace smsflow::consent::gate {

DeferredReleaser::DeferredReleaser(DeferredStore& store, GatePipeline& pipeline, const Clock& clock,
                                   GateMetrics& metrics, ReleaserOptions options)
    : store_(store), pipeline_(pipeline), clock_(clock), metrics_(metrics), options_(options) {}

DeferredReleaser::~DeferredReleaser() { Stop(); }

absl::StatusOr<int> DeferredReleaser::RunOnce() {
  std::vector<std::string> malformed;
  auto held = store_.ClaimDue(clock_.Now(), options_.lease, options_.batch, &malformed);
  if (!held.ok()) {
    metrics_.redis_errors.Add({{"operation", "claim_due"}}).Increment();
    return held.status();
  }
  if (!malformed.empty()) {
    // Written by a newer or broken writer; keeping it would retry it forever.
    log::Error("consent gate: dropping unreadable held messages",
               {{"count", malformed.size()}, {"first_message_id", malformed.front()}});
    (void)store_.Ack(malformed);
  }
  std::vector<GateItem> items;
  items.reserve(held->size());
  for (HeldMessage& m : *held) {
    items.push_back({std::move(m.request), /*from_hold=*/true, m.quiet_hours});
  }
  if (!items.empty()) {
    const std::vector<ItemResult> results = pipeline_.Process(items);
    std::vector<std::string> done;
    for (size_t i = 0; i < items.size(); ++i) {
      const ItemResult& r = results[i];
      std::string result = "released";
      if (r.outcome == ItemOutcome::kRetry) {
        result = "retry";  // the claim runs out and the message is taken again
      } else {
        done.push_back(items[i].request.message_id());
        if (r.outcome == ItemOutcome::kInvalid) {
          log::Error("consent gate: dropping held message that cannot be decided",
                     {{"message_id", items[i].request.message_id()}, {"reason", r.reason}});
        }
      }
      metrics_.releases.Add({{"result", result}}).Increment();
    }
    if (auto st = store_.Ack(done); !st.ok()) {
      metrics_.redis_errors.Add({{"operation", "release_ack"}}).Increment();
    }
  }
  if (auto size = store_.Size(); size.ok()) metrics_.deferred_size.Set(static_cast<double>(*size));
  return static_cast<int>(held->size() + malformed.size());
}

void DeferredReleaser::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void DeferredReleaser::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeferredReleaser::Loop() {
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    auto claimed = RunOnce();
    if (!claimed.ok()) {
      log::Warn("consent gate: releaser round failed", {{"status", claimed.status()}});
    }
    // A full batch means more may be due now: go again without waiting.
    if (claimed.ok() && *claimed >= options_.batch) continue;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval),
                   [this] { return stopping_; });
  }
}

}  // namespace smsflow::consent::gate
