#pragma once
// ConsentView: the current consent state in Redis, one value per (tenant,
// sender scope, recipient). Kafka's sms.consent.v1 is the record of truth;
// this view is derived from it and can be rebuilt by replaying the topic.
//
// Writes carry a version (the ledger offset of the last event folded in) and
// only replace an older version, so a replay or a late duplicate never moves
// the view backwards. Batch calls are one Redis round trip. Thread-safe;
// borrows the pool.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/consent_view/consent_state.h"
#include "lib/redis/client.h"
#include "smsflow/v1/consent.pb.h"

namespace smsflow::consentview {

struct VersionedState {
  v1::ConsentState state;
  int64_t version = -1;  // ledger offset of the last event applied; -1 = none
};

class ConsentView {
 public:
  // `prefix` lets a rebuild write a second view beside the live one.
  explicit ConsentView(redis::Pool& pool, std::string prefix = "smsflow:consent:");

  std::string RedisKey(const ConsentKey& key) const;

  // nullopt where the recipient has no state (never granted, never opted out).
  absl::StatusOr<std::vector<std::optional<VersionedState>>> GetAll(
      const std::vector<ConsentKey>& keys);
  // Writes each state unless the stored version is the same or newer.
  absl::Status PutAll(const std::vector<VersionedState>& states);
  // True where the recipient is opted out of that scope. UNAVAILABLE when
  // Redis cannot answer: callers must then not send (they cannot know).
  absl::StatusOr<std::vector<bool>> OptedOutAll(const std::vector<ConsentKey>& keys);

 private:
  redis::Pool& pool_;
  std::string prefix_;
};

}  // namespace smsflow::consentview
