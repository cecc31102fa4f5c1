#pragma once
// RuleStore: where rule changes made through the RouterService API are kept,
// so they apply on every replica and survive restarts.
//
// Why Redis (and not a compacted Kafka topic): the router already reads hot
// state from Redis, a change must be visible to the next message on every
// replica within about a second, and a replica starting up must see the
// current table at once. A hash per tenant is read in one round trip on
// start and on change; a compacted topic would need a full replay on every
// start and a consumer per replica just for rules. Durability is Redis's
// (AOF in production, like the rest of the hot state).
//
// Layout (prefix default "smsflow:router:"):
//   <prefix>rules:<tenant>   hash rule_id -> serialized v1::RoutingRule, or ""
//                            for a deletion (a tombstone hides a rule of the
//                            same id in the rules file)
//   <prefix>rule_versions    hash tenant -> change counter
// Every change writes the rule and bumps the tenant's counter in one Lua
// script, so a replica that sees a new counter value reads a table at least
// that new. Replicas poll rule_versions (one HGETALL) instead of using
// pub/sub: the blocking client has no subscriber mode, and a poll cannot miss
// a notification sent while a replica was reconnecting.
//
// Thread-safe (each call leases a pooled connection). Redis unavailable is
// UNAVAILABLE.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "lib/redis/client.h"
#include "smsflow/v1/routing_rule.pb.h"

namespace smsflow::router {

struct StoredRules {
  int64_t version = 0;
  std::vector<v1::RoutingRule> rules;  // stored (put) rules, by rule_id
  std::vector<std::string> deleted;    // tombstoned rule ids
};

class RuleStore {
 public:
  explicit RuleStore(redis::Pool& pool, std::string prefix = "smsflow:router:");

  // tenant -> change counter, for every tenant with stored changes.
  absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> Versions();
  // The tenant's stored changes and the counter they correspond to.
  absl::StatusOr<StoredRules> Load(const std::string& tenant);
  // Stores `rule` (keyed by its tenant_id and rule_id); returns the new
  // counter value.
  absl::StatusOr<int64_t> Put(const v1::RoutingRule& rule);
  // Tombstones the rule; returns the new counter value.
  absl::StatusOr<int64_t> Delete(const std::string& tenant, const std::string& rule_id);

 private:
  std::string RulesKey(const std::string& tenant) const;

  redis::Pool& pool_;
  std::string prefix_;
  std::string versions_key_;
};

}  // namespace smsflow::router
