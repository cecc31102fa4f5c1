#include "services/consent/gate/deferred_restore.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "lib/kafka/consumer.h"
#include "lib/kafka/watermarks.h"
#include "lib/log/log.h"
#include "lib/sms/message_id.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What the consumer thread (the handler) tells the restoring thread.
struct Progress {
  std::mutex mu;
  std::condition_variable_any cv;
  bool aborted = false;             // the claim was lost
  std::map<int32_t, int64_t> next;  // per partition: offset after the last settled record
  DeferredRestoreReport report;
};

// Folds `batch` to its last readable record per key (records of one key
// share a partition, so the batch has them in journal order) and writes
// that in one script under the claim.
std::vector<kafka::Disposition> ApplyBatch(const std::vector<kafka::Message>& batch,
                                           DeferredStore& store, const std::string& token,
                                           Progress& progress) {
  std::vector<kafka::Disposition> out(batch.size());
  std::vector<JournalEntry> entries;
  std::unordered_map<std::string, size_t> slot;
  int64_t holds = 0, releases = 0, unreadable = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    auto entry = ParseJournalRecord(batch[i]);
    if (!entry.ok()) {
      out[i] = {kafka::Outcome::kDeadLetter, std::string(entry.status().message())};
      ++unreadable;
      continue;
    }
    ++(entry->held.has_value() ? holds : releases);
    auto [it, fresh] = slot.emplace(entry->message_id, entries.size());
    if (fresh) {
      entries.push_back(*std::move(entry));
    } else {
      entries[it->second] = *std::move(entry);
    }
  }
  const absl::Status written = store.RestoreAll(entries, token);
  std::lock_guard lock(progress.mu);
  if (written.ok()) {
    progress.report.holds += holds;
    progress.report.releases += releases;
    progress.report.unreadable += unreadable;
    for (const kafka::Message& m : batch) {
      int64_t& next = progress.next[m.partition];
      next = std::max(next, m.offset + 1);
    }
  } else {
    if (written.code() == absl::StatusCode::kAborted) {
      progress.aborted = true;
    } else {
      log::Warn("deferred store: restore write failed, batch read again", {{"status", written}});
    }
    for (kafka::Disposition& d : out) d = {kafka::Outcome::kRetry, std::string(written.message())};
  }
  progress.cv.notify_all();
  return out;
}

// Replays `options.topic` until every partition is settled up to `ends`,
// renewing the claim every third of its lease meanwhile, so a lost claim
// ends the replay within that time even while no write notices it.
absl::Status Replay(const DeferredRestoreOptions& options,
                    const std::map<int32_t, kafka::PartitionWatermarks>& ends, DeferredStore& store,
                    const std::string& token, kafka::Producer& dlq_producer, Progress& progress) {
  kafka::ConsumerOptions copts;
  copts.brokers = options.brokers;
  copts.group_id = absl::StrCat("smsflow-consent-deferred-restore-", sms::NewMessageId());
  copts.client_id = "smsflow-consent-deferred-restore";
  copts.topics = {options.topic};
  copts.extra = options.consumer_extra;
  copts.extra["auto.offset.reset"] = "earliest";
  kafka::Consumer consumer(
      copts,
      [&](const std::vector<kafka::Message>& batch) {
        return ApplyBatch(batch, store, token, progress);
      },
      &dlq_producer);
  if (auto s = consumer.Start(); !s.ok()) return s;
  auto settled = [&] {
    if (progress.aborted) return true;
    for (const auto& [partition, w] : ends) {
      auto it = progress.next.find(partition);
      if (!w.Empty() && (it == progress.next.end() || it->second < w.high)) return false;
    }
    return true;
  };
  const auto deadline = SteadyClock::now() + options.timeout;
  std::unique_lock lock(progress.mu);
  while (!settled() && !options.stop.stop_requested() && SteadyClock::now() < deadline) {
    const auto until = std::min(deadline, SteadyClock::now() + options.claim_lease / 3);
    if (progress.cv.wait_until(lock, options.stop, until, settled)) break;
    lock.unlock();
    auto held = store.marker().RenewRestore(token, options.claim_lease);
    lock.lock();
    // A Redis error says nothing about the claim: the next write will tell.
    if (held.ok() && !*held) progress.aborted = true;
  }
  const bool caught_up = settled();
  lock.unlock();
  consumer.Stop();
  if (progress.aborted) return store.marker().ClaimLost();
  if (options.stop.stop_requested()) return absl::CancelledError("deferred restore: stopped");
  if (caught_up) return absl::OkStatus();
  return absl::DeadlineExceededError(absl::StrCat("deferred restore: not caught up with ",
                                                  options.topic, " after ", options.timeout.count(),
                                                  " ms"));
}

}  // namespace

absl::StatusOr<JournalEntry> ParseJournalRecord(const kafka::Message& message) {
  const std::string type = v1::DeferredRequest::descriptor()->full_name();
  const std::string* header = message.Header(kafka::kTypeHeader);
  if (header != nullptr && *header != type) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(kafka::kTypeHeader), ": ", *header, " is not ", type));
  }
  if (message.key.empty()) return absl::InvalidArgumentError("key: required (the message id)");
  JournalEntry entry{.message_id = message.key, .held = std::nullopt};
  if (message.value.empty()) return entry;  // a tombstone: released
  v1::DeferredRequest deferred;
  if (!deferred.ParseFromString(message.value)) {
    return absl::InvalidArgumentError(absl::StrCat("value: not a ", type));
  }
  if (deferred.request().message_id() != message.key) {
    return absl::InvalidArgumentError("request.message_id: differs from the record key");
  }
  if (!deferred.has_release_time()) return absl::InvalidArgumentError("release_time: required");
  const google::protobuf::Timestamp& t = deferred.release_time();
  entry.held =
      HeldMessage{.request = std::move(*deferred.mutable_request()),
                  .release_time = absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
                  .quiet_hours = deferred.quiet_hours()};
  return entry;
}

absl::StatusOr<DeferredRestoreReport> RestoreDeferred(const DeferredRestoreOptions& options,
                                                      DeferredStore& store,
                                                      kafka::Producer& dlq_producer) {
  if (options.claim_lease < std::chrono::milliseconds(30)) {
    return absl::InvalidArgumentError("claim_lease: at least 30 ms");
  }
  store::ReadyMarker& marker = store.marker();
  const std::string token = sms::NewMessageId();
  auto claimed = marker.BeginRestore(token, options.claim_lease);
  if (!claimed.ok()) return claimed.status();
  if (!*claimed) {
    return absl::AlreadyExistsError(absl::StrCat("deferred restore: another restore holds ",
                                                 marker.claim_key(),
                                                 "; it marks the store ready when done"));
  }
  // A failed restore lets go of its claim so the next attempt can start now.
  auto fail = [&](absl::Status s) {
    (void)marker.AbandonRestore(token);
    return s;
  };
  Progress progress;
  auto ends = kafka::Watermarks(options.brokers, options.topic, std::chrono::seconds(10));
  if (!ends.ok()) return fail(ends.status());
  bool anything = false;
  for (const auto& [partition, w] : *ends) {
    progress.report.end_offsets[partition] = w.high;
    anything = anything || !w.Empty();
  }
  if (anything) {
    if (auto s = Replay(options, *ends, store, token, dlq_producer, progress); !s.ok()) {
      return fail(s);
    }
  }
  if (auto s = marker.MarkReady(token); !s.ok()) return s;
  return progress.report;
}

}  // namespace smsflow::consent::gate
