#include "services/consent/ledger/view_rebuild.h"

#include <condition_variable>
#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "lib/consent_view/consent_view.h"
#include "lib/kafka/consumer.h"
#include "lib/kafka/watermarks.h"
#include "lib/log/log.h"
#include "lib/sms/message_id.h"
#include "services/consent/ledger/consent_history.h"
#include "services/consent/ledger/ledger_applier.h"

namespace smsflow::consent::ledger {
namespace {

using Clock = std::chrono::steady_clock;

// Replays `options.topic` up to `ends` through `applier`. For a restore,
// renews the claim every third of its lease while it waits, so a claim that
// is lost (Redis flushed) ends the replay within that time even when no
// write would notice.
absl::Status Replay(const RebuildOptions& options,
                    const std::map<int32_t, kafka::PartitionWatermarks>& ends,
                    LedgerApplier& applier, consentview::ConsentView& view,
                    const std::string& token, kafka::Producer& producer, RebuildReport& report) {
  kafka::BatchHandler inner = applier.AsBatchHandler();
  std::mutex mu;
  std::condition_variable_any cv;
  bool aborted = false;
  std::map<int32_t, int64_t> next;  // per partition: offset after the last applied record
  auto caught_up = [&] {
    for (const auto& [p, w] : ends) {
      if (w.Empty()) continue;
      auto it = next.find(p);
      if (it == next.end() || it->second < w.high) return false;
    }
    return true;
  };
  kafka::ConsumerOptions copts;
  copts.brokers = options.brokers;
  copts.group_id = absl::StrCat("smsflow-consent-rebuild-", sms::NewMessageId());
  copts.topics = {options.topic};
  copts.extra = options.consumer_extra;
  copts.extra["auto.offset.reset"] = "earliest";
  kafka::Consumer consumer(
      copts,
      [&](const std::vector<kafka::Message>& batch) {
        std::vector<kafka::Disposition> d = inner(batch);
        std::lock_guard lock(mu);
        if (applier.claim_lost()) aborted = true;
        for (size_t i = 0; i < batch.size() && !aborted; ++i) {
          if (d[i].outcome == kafka::Outcome::kRetry) break;  // the rest comes again
          if (d[i].outcome == kafka::Outcome::kDeadLetter) {
            // Already skipped by the live consumer too; parking it twice helps nobody.
            ++report.events_skipped;
            d[i] = {};
          } else {
            ++report.events_applied;
          }
          int64_t& n = next[batch[i].partition];
          n = std::max(n, batch[i].offset + 1);
        }
        cv.notify_all();
        return d;
      },
      &producer);
  if (auto s = consumer.Start(); !s.ok()) return s;
  const auto deadline = Clock::now() + options.timeout;
  const auto slice = options.restore ? options.claim_lease / 3 : options.timeout;
  std::unique_lock lock(mu);
  auto finished = [&] { return aborted || caught_up(); };
  while (!finished() && !options.stop.stop_requested() && Clock::now() < deadline) {
    cv.wait_until(lock, options.stop, std::min(deadline, Clock::now() + slice), finished);
    if (!options.restore || finished() || options.stop.stop_requested()) continue;
    lock.unlock();
    auto held = view.RenewRestore(token, options.claim_lease);
    lock.lock();
    // A Redis error says nothing about the claim: the writes will tell.
    if (held.ok() && !*held) aborted = true;
  }
  const bool done = caught_up() && !aborted;
  const bool was_aborted = aborted;
  lock.unlock();
  consumer.Stop();
  if (was_aborted) {
    return absl::AbortedError(absl::StrCat("restore: claim on ", view.RebuildingKey(),
                                           " lost after ", report.events_applied,
                                           " events (Redis lost its data again?); start again"));
  }
  if (done) return absl::OkStatus();
  if (options.stop.stop_requested()) return absl::CancelledError("rebuild: stopped");
  return absl::DeadlineExceededError(absl::StrCat("rebuild: not caught up with ", options.topic,
                                                  " after ", options.timeout.count(), " ms (",
                                                  report.events_applied, " applied)"));
}

}  // namespace

absl::StatusOr<RebuildReport> RebuildView(const RebuildOptions& options, redis::Pool& pool,
                                          kafka::Producer& producer) {
  if (options.view_prefix.empty()) return absl::InvalidArgumentError("view_prefix: required");
  if (options.restore && options.claim_lease < std::chrono::milliseconds(30)) {
    return absl::InvalidArgumentError("claim_lease: at least 30 ms");
  }
  consentview::ConsentView view(pool, options.view_prefix);
  std::string token;
  if (options.restore) {
    token = sms::NewMessageId();
    auto claimed = view.BeginRestore(token, options.claim_lease);
    if (!claimed.ok()) return claimed.status();
    if (!*claimed) {
      return absl::AlreadyExistsError(absl::StrCat("restore: another restore holds ",
                                                   view.RebuildingKey(),
                                                   "; it marks the view ready when done"));
    }
  }
  // A failed restore lets go of its claim so the next attempt can start now.
  auto fail = [&](absl::Status s) {
    if (options.restore) (void)view.AbandonRestore(token);
    return s;
  };
  RebuildReport report;
  auto ends = kafka::Watermarks(options.brokers, options.topic, std::chrono::seconds(10));
  if (!ends.ok()) return fail(ends.status());
  bool anything = false;
  for (const auto& [p, w] : *ends) {
    report.end_offsets[p] = w.high;
    anything = anything || !w.Empty();
  }

  std::unique_ptr<ConsentHistory> history;
  if (!options.history_prefix.empty()) {
    history = std::make_unique<ConsentHistory>(pool, options.history_prefix);
  }
  LedgerApplier applier(view, history.get(), nullptr,
                        {.require_ready = false, .restore_token = token});
  // An empty ledger (a fresh install) has nothing to replay: no consumer group
  // to join, so the view is ready at once.
  if (anything) {
    if (auto s = Replay(options, *ends, applier, view, token, producer, report); !s.ok()) {
      return fail(s);
    }
  }
  if (options.restore) {
    if (auto s = view.MarkReady(token); !s.ok()) return s;
  }
  // A restore is reported by its caller (the guardian's log, --restore-view's output).
  if (!options.restore) {
    log::Info("consent view rebuilt", {{"prefix", options.view_prefix},
                                       {"events", report.events_applied},
                                       {"skipped", report.events_skipped}});
  }
  return report;
}

}  // namespace smsflow::consent::ledger
