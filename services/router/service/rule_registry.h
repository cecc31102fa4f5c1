#pragma once
// RuleRegistry: every tenant's current rule table, compiled, and the only way
// rules change at run time.
//
// A tenant's effective rules are the rules file's (the baseline a deploy
// ships) overlaid by the changes stored through the API (RuleStore): a
// stored rule replaces or adds the rule of its id, a stored deletion hides
// the file's rule of that id. So a redeploy with a new rules file still adds
// new file rules, and an operator's change survives restarts and redeploys.
//
// Tables are immutable (TenantRules behind std::shared_ptr<const>) and
// swapped under a mutex held only for the pointer copy: a message is matched
// against one consistent table while a change installs the next. Put/Delete
// install the new table before they return (the next message uses it); other
// replicas see it within one poll interval.
//
// Threading: Get/List from any thread; Put/Delete serialised by write_mu_;
// one poll thread (StartPolling) owned by this object and joined by
// StopPolling/destructor. Borrows the store and metrics, which must outlive it.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/config/tenants.h"
#include "services/router/rules/rule_set.h"
#include "services/router/service/router_metrics.h"
#include "services/router/service/rule_store.h"
#include "services/router/service/rules_file.h"

namespace smsflow::router {

// One tenant's table. Immutable once published.
struct TenantRules {
  std::string tenant_id;
  int64_t version = 0;                 // store counter it reflects; 0 = file only
  std::vector<v1::RoutingRule> rules;  // effective rules, evaluation order, incl. disabled
  std::shared_ptr<const CompiledRules> compiled;
};

// Evaluation order of RoutingRule (rule_set.h): priority, then
// number-specific before tenant-wide, then rule_id.
bool EvaluatedBefore(const v1::RoutingRule& a, const v1::RoutingRule& b);

struct PutOutcome {
  v1::RoutingRule rule;
  bool created = false;
};

class RuleRegistry {
 public:
  // `store` may be null: the file's rules only, and Put/Delete fail with
  // FAILED_PRECONDITION. `base` carries the model's known intents and the
  // router-wide thresholds; per-tenant settings come from `file`.
  RuleRegistry(RuleOptions base, std::shared_ptr<const config::TenantDirectory> tenants,
               std::map<std::string, TenantRulesConfig> file, RuleStore* store,
               RouterMetrics& metrics);
  ~RuleRegistry();
  RuleRegistry(const RuleRegistry&) = delete;
  RuleRegistry& operator=(const RuleRegistry&) = delete;

  // Builds every known tenant's table (tenants file, rules file, store).
  // UNAVAILABLE when the store cannot be read; nothing is routed until this
  // succeeded once (see loaded()), because routing with a stale table would
  // send messages where an operator said they must not go.
  absl::Status LoadAll();
  bool loaded() const;
  // Re-reads the tenants whose store counter changed since they were loaded.
  absl::Status Refresh();
  // A thread that runs LoadAll until it succeeds, then Refresh, every
  // `interval`.
  void StartPolling(std::chrono::milliseconds interval);
  void StopPolling();

  // The tenant's table; a tenant with no rules anywhere gets an empty table
  // (every message to its default destination).
  std::shared_ptr<const TenantRules> Get(const std::string& tenant) const;

  // Validates `rule` against the tenant's other rules (INVALID_ARGUMENT
  // 'rule "<id>": <field>: <problem>'), stores it and installs the new table.
  absl::StatusOr<PutOutcome> Put(v1::RoutingRule rule, bool validate_only, absl::Time now);
  // NOT_FOUND when the tenant has no rule `rule_id`.
  absl::Status Delete(const std::string& tenant, const std::string& rule_id);

 private:
  RuleOptions OptionsFor(const std::string& tenant) const;
  bool KnownTenant(const std::string& tenant) const;
  // File rules overlaid by `stored`, invalid ones dropped (and logged).
  std::shared_ptr<const TenantRules> Build(const std::string& tenant, const StoredRules& stored);
  absl::Status ReloadTenant(const std::string& tenant);
  void Install(std::shared_ptr<const TenantRules> table);
  void PollLoop(std::chrono::milliseconds interval);

  RuleOptions base_;
  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::map<std::string, TenantRulesConfig> file_;
  RuleStore* store_;
  RouterMetrics& metrics_;

  mutable std::mutex mu_;  // guards tables_, loaded_
  absl::flat_hash_map<std::string, std::shared_ptr<const TenantRules>> tables_;
  bool loaded_ = false;

  std::mutex write_mu_;  // one change at a time: version bookkeeping stays simple

  std::mutex poll_mu_;
  std::condition_variable poll_cv_;
  bool stop_poll_ = false;
  std::thread poller_;
};

}  // namespace smsflow::router
