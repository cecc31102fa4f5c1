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
    // Not ready is no Redis failure: the guardian is restoring the store.
    if (held.status() != store_.marker().NotReady()) {
      metrics_.redis_errors.Add({{"operation", "claim_due"}}).Increment();
    }
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
    // What is retried keeps its claim: it runs out and the message is taken
    // again. What was decided for good is tombstoned on the journal only now
    // that its outputs are acknowledged (a restore after a tombstone whose
    // decision never reached Kafka would lose the message), and leaves Redis
    // only once the tombstone is acknowledged.
    std::vector<std::string> done, released;
    int retried = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      const ItemResult& r = results[i];
      const std::string& id = items[i].request.message_id();
      if (r.outcome == ItemOutcome::kRetry) {
        ++retried;
        continue;
      }
      if (r.outcome == ItemOutcome::kInvalid) {
        log::Error("consent gate: dropping held message that cannot be decided",
                   {{"message_id", id}, {"reason", r.reason}});
      }
      // Without an id there is nothing to tombstone (nor was it journaled).
      (r.held || id.empty() ? done : released).push_back(id);
    }
    const std::vector<absl::Status> journaled = pipeline_.JournalReleases(released);
    for (size_t j = 0; j < released.size(); ++j) {
      if (journaled[j].ok()) {
        done.push_back(released[j]);
      } else {
        ++retried;
      }
    }
    metrics_.releases.Add({{"result", "released"}}).Increment(static_cast<double>(done.size()));
    metrics_.releases.Add({{"result", "retry"}}).Increment(retried);
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
  absl::Status last = absl::OkStatus();
  while (true) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    auto claimed = RunOnce();
    // Once per change: a restore or an outage would otherwise log every poll.
    if (claimed.status() != last) {
      if (!claimed.ok()) {
        log::Warn("consent gate: releaser round failed", {{"status", claimed.status()}});
      } else {
        log::Info("consent gate: releaser running again", {{"after", last}});
      }
      last = claimed.status();
    }
    // A full batch means more may be due now: go again without waiting.
    if (claimed.ok() && *claimed >= options_.batch) continue;
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval),
                   [this] { return stopping_; });
  }
}

}  // namespace smsflow::consent::gate
