#include "services/router/service/rule_registry.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "services/router/rules/rule_validation.h"

namespace smsflow::router {
namespace {

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

}  // namespace

bool EvaluatedBefore(const v1::RoutingRule& a, const v1::RoutingRule& b) {
  if (a.priority() != b.priority()) return a.priority() < b.priority();
  const bool a_specific = !a.destination_number().empty();
  const bool b_specific = !b.destination_number().empty();
  if (a_specific != b_specific) return a_specific;
  return a.rule_id() < b.rule_id();
}

RuleRegistry::RuleRegistry(RuleOptions base, std::shared_ptr<const config::TenantDirectory> tenants,
                           std::map<std::string, TenantRulesConfig> file, RuleStore* store,
                           RouterMetrics& metrics)
    : base_(std::move(base)),
      tenants_(std::move(tenants)),
      file_(std::move(file)),
      store_(store),
      metrics_(metrics) {}

RuleRegistry::~RuleRegistry() { StopPolling(); }

RuleOptions RuleRegistry::OptionsFor(const std::string& tenant) const {
  if (auto it = file_.find(tenant); it != file_.end()) return it->second.options;
  return DefaultTenantOptions(base_, tenant, tenants_.get());
}

bool RuleRegistry::KnownTenant(const std::string& tenant) const {
  if (file_.count(tenant) > 0) return true;
  if (tenants_ != nullptr && tenants_->FindTenant(tenant) != nullptr) return true;
  std::lock_guard lock(mu_);
  return tables_.contains(tenant);
}

std::shared_ptr<const TenantRules> RuleRegistry::Build(const std::string& tenant,
                                                       const StoredRules& stored) {
  const RuleOptions options = OptionsFor(tenant);
  std::map<std::string, v1::RoutingRule> merged;
  if (auto it = file_.find(tenant); it != file_.end()) {
    for (const auto& rule : it->second.rules) merged[rule.rule_id()] = rule;
  }
  for (const auto& id : stored.deleted) merged.erase(id);
  for (const auto& rule : stored.rules) merged[rule.rule_id()] = rule;

  auto table = std::make_shared<TenantRules>();
  table->tenant_id = tenant;
  table->version = stored.version;
  for (auto& [id, rule] : merged) {
    // A stored rule can stop validating when the deploy changes (a model
    // without its intent, a tenant variable removed): drop that one rule,
    // loudly, rather than the tenant's whole table.
    if (auto error = ValidateRule(rule, options)) {
      log::Error("rule dropped: no longer valid", {{"tenant", tenant},
                                                   {"rule_id", id},
                                                   {"field", error->field},
                                                   {"problem", error->message}});
      metrics_.rule_store_errors.Add({{"operation", "invalid_rule"}}).Increment();
      continue;
    }
    table->rules.push_back(std::move(rule));
  }
  std::sort(table->rules.begin(), table->rules.end(), EvaluatedBefore);
  auto compiled = CompiledRules::Compile(table->rules, options);
  if (!compiled.ok()) {
    log::Error("rule table does not compile; tenant routes to its default destination",
               {{"tenant", tenant}, {"status", compiled.status()}});
    table->rules.clear();
    compiled = CompiledRules::Compile({}, options);
  }
  table->compiled = *compiled;
  return table;
}

void RuleRegistry::Install(std::shared_ptr<const TenantRules> table) {
  metrics_.rule_reloads.Increment();
  std::lock_guard lock(mu_);
  tables_[table->tenant_id] = std::move(table);
}

absl::Status RuleRegistry::LoadAll() {
  std::lock_guard write(write_mu_);
  absl::flat_hash_set<std::string> names;
  for (const auto& [id, cfg] : file_) names.insert(id);
  if (tenants_ != nullptr) {
    for (const auto& t : tenants_->tenants()) names.insert(t.id);
  }
  absl::flat_hash_map<std::string, StoredRules> stored;
  if (store_ != nullptr) {
    auto versions = store_->Versions();
    if (!versions.ok()) {
      metrics_.rule_store_errors.Add({{"operation", "load"}}).Increment();
      return versions.status();
    }
    for (const auto& [id, v] : *versions) names.insert(id);
    for (const auto& id : names) {
      auto s = store_->Load(id);
      if (!s.ok()) {
        metrics_.rule_store_errors.Add({{"operation", "load"}}).Increment();
        return s.status();
      }
      stored[id] = std::move(*s);
    }
  }
  for (const auto& id : names) Install(Build(id, stored[id]));
  std::lock_guard lock(mu_);
  loaded_ = true;
  log::Info("rules loaded", {{"tenants", static_cast<int64_t>(names.size())}});
  return absl::OkStatus();
}

bool RuleRegistry::loaded() const {
  std::lock_guard lock(mu_);
  return loaded_;
}

absl::Status RuleRegistry::ReloadTenant(const std::string& tenant) {
  StoredRules stored;
  if (store_ != nullptr) {
    auto s = store_->Load(tenant);
    if (!s.ok()) {
      metrics_.rule_store_errors.Add({{"operation", "load"}}).Increment();
      return s.status();
    }
    stored = std::move(*s);
  }
  Install(Build(tenant, stored));
  return absl::OkStatus();
}

absl::Status RuleRegistry::Refresh() {
  if (store_ == nullptr) return absl::OkStatus();
  std::lock_guard write(write_mu_);
  auto versions = store_->Versions();
  if (!versions.ok()) {
    metrics_.rule_store_errors.Add({{"operation", "poll"}}).Increment();
    return versions.status();
  }
  std::vector<std::string> stale;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, v] : *versions) {
      auto it = tables_.find(id);
      if (it == tables_.end() || it->second->version != v) stale.push_back(id);
    }
    // Counters that vanished (the store was emptied): back to the file.
    for (const auto& [id, table] : tables_) {
      if (table->version != 0 && !versions->contains(id)) stale.push_back(id);
    }
  }
  for (const auto& id : stale) {
    if (auto st = ReloadTenant(id); !st.ok()) return st;
    log::Info("rules reloaded", {{"tenant", id}});
  }
  return absl::OkStatus();
}

void RuleRegistry::StartPolling(std::chrono::milliseconds interval) {
  {
    std::lock_guard lock(poll_mu_);
    stop_poll_ = false;
  }
  poller_ = std::thread([this, interval] { PollLoop(interval); });
}

void RuleRegistry::StopPolling() {
  {
    std::lock_guard lock(poll_mu_);
    stop_poll_ = true;
  }
  poll_cv_.notify_all();
  if (poller_.joinable()) poller_.join();
}

void RuleRegistry::PollLoop(std::chrono::milliseconds interval) {
  std::unique_lock lock(poll_mu_);
  while (!stop_poll_) {
    lock.unlock();
    absl::Status st = loaded() ? Refresh() : LoadAll();
    if (!st.ok()) log::Warn("rule store poll failed", {{"status", st}});
    lock.lock();
    poll_cv_.wait_for(lock, interval, [this] { return stop_poll_; });
  }
}

std::shared_ptr<const TenantRules> RuleRegistry::Get(const std::string& tenant) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = tables_.find(tenant); it != tables_.end()) return it->second;
  }
  // Not cached: tenant ids come from records and callers, so an unknown one
  // must not grow the map.
  auto table = std::make_shared<TenantRules>();
  table->tenant_id = tenant;
  table->compiled = *CompiledRules::Compile({}, OptionsFor(tenant));
  return table;
}

absl::StatusOr<PutOutcome> RuleRegistry::Put(v1::RoutingRule rule, bool validate_only,
                                             absl::Time now) {
  const std::string tenant = rule.tenant_id();
  if (tenant.empty()) return absl::InvalidArgumentError("rule.tenant_id: required");
  if (!KnownTenant(tenant)) {
    return absl::NotFoundError(absl::StrCat("tenant '", tenant, "' is not configured"));
  }
  const std::string& number = rule.destination_number();
  if (!number.empty() && tenants_ != nullptr && tenants_->FindTenant(tenant) != nullptr) {
    auto owner = tenants_->FindNumber(number);
    if (!owner.has_value() || owner->tenant->id != tenant) {
      return absl::InvalidArgumentError(absl::StrCat("rule \"", rule.rule_id(),
                                                     "\": destination_number: ", number,
                                                     " is not a number of tenant ", tenant));
    }
  }
  rule.clear_create_time();
  rule.clear_update_time();

  std::lock_guard write(write_mu_);
  auto current = Get(tenant);
  std::vector<v1::RoutingRule> next;
  PutOutcome out;
  out.created = true;
  for (const auto& r : current->rules) {
    if (r.rule_id() == rule.rule_id()) {
      out.created = false;
      *rule.mutable_create_time() = r.create_time();
      continue;
    }
    next.push_back(r);
  }
  if (out.created) *rule.mutable_create_time() = ToTimestamp(now);
  *rule.mutable_update_time() = ToTimestamp(now);
  next.push_back(rule);
  std::sort(next.begin(), next.end(), EvaluatedBefore);
  const RuleOptions options = OptionsFor(tenant);
  auto compiled = CompiledRules::Compile(next, options);
  if (!compiled.ok()) return compiled.status();
  out.rule = rule;
  if (validate_only) return out;
  if (store_ == nullptr) {
    return absl::FailedPreconditionError("rule changes need a rule store (Redis)");
  }
  auto version = store_->Put(rule);
  if (!version.ok()) {
    metrics_.rule_store_errors.Add({{"operation", "put"}}).Increment();
    return version.status();
  }
  if (*version == current->version + 1) {
    // Nobody else changed this tenant since our table: install what we
    // compiled, without another round trip.
    auto table = std::make_shared<TenantRules>();
    table->tenant_id = tenant;
    table->version = *version;
    table->rules = std::move(next);
    table->compiled = *compiled;
    Install(std::move(table));
  } else if (auto st = ReloadTenant(tenant); !st.ok()) {
    // Stored, but this replica could not re-read it: the poller will.
    log::Warn("rule stored but reload failed", {{"tenant", tenant}, {"status", st}});
  }
  return out;
}

absl::Status RuleRegistry::Delete(const std::string& tenant, const std::string& rule_id) {
  std::lock_guard write(write_mu_);
  auto current = Get(tenant);
  std::vector<v1::RoutingRule> next;
  bool found = false;
  for (const auto& r : current->rules) {
    if (r.rule_id() == rule_id) {
      found = true;
    } else {
      next.push_back(r);
    }
  }
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("rule \"", rule_id, "\": tenant ", tenant, " has no such rule"));
  }
  if (store_ == nullptr) {
    return absl::FailedPreconditionError("rule changes need a rule store (Redis)");
  }
  auto version = store_->Delete(tenant, rule_id);
  if (!version.ok()) {
    metrics_.rule_store_errors.Add({{"operation", "delete"}}).Increment();
    return version.status();
  }
  if (*version == current->version + 1) {
    auto compiled = CompiledRules::Compile(next, OptionsFor(tenant));
    if (compiled.ok()) {
      auto table = std::make_shared<TenantRules>();
      table->tenant_id = tenant;
      table->version = *version;
      table->rules = std::move(next);
      table->compiled = *compiled;
      Install(std::move(table));
      return absl::OkStatus();
    }
  }
  if (auto st = ReloadTenant(tenant); !st.ok()) {
    log::Warn("rule deleted but reload failed", {{"tenant", tenant}, {"status", st}});
  }
  return absl::OkStatus();
}

}  // namespace smsflow::router
