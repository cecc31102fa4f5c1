#pragma once
// Rebuilding the consent view from the ledger, and comparing two views.
//
// Kafka's sms.consent.v1 is the record of truth; the Redis view is derived.
// RebuildView replays the topic from the beginning, through a throwaway
// consumer group, into a FRESH view prefix (and optionally a fresh history
// prefix) with the same LedgerApplier the live consumer uses, and returns
// once every partition is applied up to the end offsets it saw when it
// started. CompareViews then tells whether the live view equals the rebuilt
// one (the binary's --rebuild-view does both and reports). The live view is
// never written by a rebuild. Blocking; call from one thread.

#include <chrono>
#include <cstdint>
#include <map>
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
  std::string view_prefix;     // required, and not the live prefix
  std::string history_prefix;  // empty: do not rebuild the history
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  std::map<std::string, std::string> consumer_extra;  // librdkafka properties
};

struct RebuildReport {
  int64_t events_applied = 0;
  int64_t events_skipped = 0;              // invalid or undecodable ledger records
  std::map<int32_t, int64_t> end_offsets;  // per partition, at the start
};

// `producer` is only the consumer's dead-letter producer (a rebuild parks
// nothing: invalid records are counted and skipped).
absl::StatusOr<RebuildReport> RebuildView(const RebuildOptions& options, redis::Pool& pool,
                                          kafka::Producer& producer);

// End offset ("high watermark") of each partition of `topic`.
absl::StatusOr<std::map<int32_t, int64_t>> EndOffsets(const std::string& brokers,
                                                      const std::string& topic,
                                                      std::chrono::milliseconds timeout);

struct ViewDiff {
  int64_t same = 0;
  int64_t different = 0;     // same version, different state: a real discrepancy
  int64_t live_newer = 0;    // live version ahead (events after the rebuild's end)
  int64_t only_live = 0;     // in live only
  int64_t only_rebuilt = 0;  // in the rebuilt view only
  std::vector<consentview::ConsentKey> examples;  // up to 20 discrepant keys
  bool Equal() const { return different == 0 && only_live == 0 && only_rebuilt == 0; }
};

// Compares every state of two view prefixes (SCAN of both).
absl::StatusOr<ViewDiff> CompareViews(redis::Pool& pool, const std::string& live_prefix,
                                      const std::string& rebuilt_prefix);

}  // namespace smsflow::consent::ledger
