#pragma once
// Frequency caps: "at most N messages of these categories per window to one
// recipient" (COMPLIANCE.md: FL and OK, 3 marketing per 24 h on the same
// subject). CapRule is configuration; CapsFor() (pure) says which counters a
// request must pass; a CapLedger reserves a slot in each counter atomically,
// only for messages the gate approves.
//
// Counters are sliding windows of message ids, so a reservation repeated for
// the same message (a retried batch) is not counted twice. RedisCapLedger is
// the production ledger (one Lua call per message, all pipelined: one round
// trip per batch); InMemoryCapLedger has the same semantics for unit tests
// and the benchmark. Both are thread-safe.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/redis/client.h"
#include "services/consent/policy/categories.h"

namespace smsflow::consent::gate {

struct CapRule {
  std::string name;                          // "fl_ok_marketing"; part of the counter key
  std::vector<std::string> regions;          // "US-FL", "US-OK", "US"; empty: everywhere
  std::vector<policy::Category> categories;  // counted and capped categories
  int limit = 3;                             // messages allowed per window
  absl::Duration window = absl::Hours(24);
  bool per_subject = true;  // count per request subject (empty subject = one subject)
};

// One counter a message must fit into.
struct CapCheck {
  std::string rule;  // CapRule::name, for the rejection's description
  std::string key;   // counter identity (without a store prefix)
  int limit = 0;
  absl::Duration window;
};

// Whether `rule` covers a recipient in any of `regions` ("US-FL" matches the
// rules "US-FL" and "US").
bool RuleApplies(const CapRule& rule, policy::Category category,
                 const std::vector<std::string>& regions);

// The counters for a message of `category` from `tenant` to `to` on
// `subject`, for a recipient who may be in any of `regions`.
std::vector<CapCheck> CapsFor(const std::vector<CapRule>& rules, policy::Category category,
                              const std::vector<std::string>& regions, const std::string& tenant,
                              const std::string& to, const std::string& subject);

struct CapReservation {
  std::string member;  // the message id
  absl::Time now;
  std::vector<CapCheck> caps;
};

class CapLedger {
 public:
  virtual ~CapLedger() = default;
  // For each reservation in order: -1 when every counter had room (a slot
  // is now taken in each), else the index of the first full counter (nothing
  // taken). Reservations of one call are applied in order, so a batch with
  // four messages to one capped recipient gets the 4th refused.
  virtual absl::StatusOr<std::vector<int>> ReserveAll(
      const std::vector<CapReservation>& reservations) = 0;
  // Gives back slots of messages that were not sent after all (best effort).
  virtual absl::Status ReleaseAll(const std::vector<CapReservation>& reservations) = 0;
};

class InMemoryCapLedger final : public CapLedger {
 public:
  absl::StatusOr<std::vector<int>> ReserveAll(
      const std::vector<CapReservation>& reservations) override;
  absl::Status ReleaseAll(const std::vector<CapReservation>& reservations) override;

 private:
  std::mutex mu_;
  std::map<std::string, std::map<std::string, absl::Time>> counters_;  // key -> member -> time
};

// Counters are sorted sets "<prefix><key>" of message ids scored by
// reservation time (ms), expiring one window after the last reservation.
// UNAVAILABLE when Redis is down (then nothing is known to be reserved).
class RedisCapLedger final : public CapLedger {
 public:
  explicit RedisCapLedger(redis::Pool& pool, std::string prefix = "smsflow:gate:cap:");
  absl::StatusOr<std::vector<int>> ReserveAll(
      const std::vector<CapReservation>& reservations) override;
  absl::Status ReleaseAll(const std::vector<CapReservation>& reservations) override;

 private:
  redis::Pool& pool_;
  std::string prefix_;
};

}  // namespace smsflow::consent::gate
