#pragma once
// Rebuilding the consent view from the ledger, and comparing two views.
//
// Kafka's sms.consent.v1 is the record of truth; the Redis view is derived.
// RebuildView replays the topic from the beginning, through a throwaway
// consumer group, with the same LedgerApplier the live consumer uses, and
// returns once every partition is applied up to the end offsets it saw when
// it started (later events are the live consumer's). Two modes:
//   - a rebuild into a FRESH prefix (and optionally a fresh history prefix),
//     which CompareViews then holds against the live view (the binary's
//     --rebuild-view); the live view is never written;
//   - a restore INTO the live view and history (`restore`: the ViewGuardian
//     after Redis lost its data, and the binary's --restore-view). It claims
//     the view's restore token first, writes only while the claim holds, and
//     marks the view ready at the end if it still holds. Safe while the live
//     consumer runs: versions only move forward and history appends are
//     idempotent by event id.
// Blocking; call from one thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <stop_token>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/consent_view/consent_state.h"
#include "lib/kafka/producer.h"
#include "lib/redis/client.h"

namespace smsflow::consent::ledger {

struct RebuildOptions {
  std::string brokers;
  std::string topic = "sms.consent.v1";
  std::string view_prefix;     // required; a fresh one unless `restore`
  std::string history_prefix;  // empty: do not rebuild the history
  bool restore = false;        // into the live view_prefix, then mark it ready
  // How long the restore claim lives without renewal (renewed every third).
  std::chrono::milliseconds claim_lease{std::chrono::seconds(30)};
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  std::map<std::string, std::string> consumer_extra;  // librdkafka properties
  std::stop_token stop;  // a stop request ends the replay early (CANCELLED)
};

struct RebuildReport {
  int64_t events_applied = 0;
  int64_t events_skipped = 0;              // invalid or undecodable ledger records
  std::map<int32_t, int64_t> end_offsets;  // per partition, at the start
};

// `producer` is only the consumer's dead-letter producer (a rebuild parks
// nothing: invalid records are counted and skipped). Errors of a restore:
// ALREADY_EXISTS another restore holds the claim (it marks the view ready);
// ABORTED the claim was lost mid-way (Redis lost its data again, or the
// claim expired and another restore took over): start again.
absl::StatusOr<RebuildReport> RebuildView(const RebuildOptions& options, redis::Pool& pool,
                                          kafka::Producer& producer);

struct ViewDiff {
  int64_t same = 0;
  int64_t different = 0;     // same version, different state: a real discrepancy
  int64_t live_newer = 0;    // live version ahead (events after the rebuild's end)
  int64_t only_live = 0;     // in live only
  int64_t only_rebuilt = 0;  // in the rebuilt view only
  std::vector<consentview::ConsentKey> examples;  // up to 20 discrepant keys
  bool Equal() const { return different == 0 && only_live == 0 && only_rebuilt == 0; }
};

// Compares every state of two view prefixes (SCAN of both; the "meta:" keys
// of readiness are not states and are ignored).
absl::StatusOr<ViewDiff> CompareViews(redis::Pool& pool, const std::string& live_prefix,
                                      const std::string& rebuilt_prefix);

}  // namespace smsflow::consent::ledger
