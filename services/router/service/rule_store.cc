#include "services/router/service/rule_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/redis/script.h"

namespace smsflow::router {
namespace {

// KEYS[1] rules hash, KEYS[2] versions hash; ARGV tenant, rule_id, value
// ("" = tombstone). Returns the tenant's new counter.
const redis::Script& WriteScript() {
  static const redis::Script kScript(R"lua(
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
)lua");
  return kScript;
}

// KEYS[1] rules hash, KEYS[2] versions hash; ARGV tenant. Returns
// {counter or false, {field, value, ...}} read atomically.
const redis::Script& LoadScript() {
  static const redis::Script kScript(R"lua(
return {redis.call('HGET', KEYS[2], ARGV[1]), redis.call('HGETALL', KEYS[1])}
)lua");
  return kScript;
}

absl::StatusOr<int64_t> ToInt(const redis::Reply& reply) {
  if (reply.IsInteger()) return reply.integer;
  int64_t v = 0;
  if (reply.IsString() && absl::SimpleAtoi(reply.str, &v)) return v;
  return absl::InternalError(absl::StrCat("rule store: unexpected reply ", reply.DebugString()));
}

}  // namespace

RuleStore::RuleStore(redis::Pool& pool, std::string prefix)
    : pool_(pool), prefix_(std::move(prefix)), versions_key_(prefix_ + "rule_versions") {}

std::string RuleStore::RulesKey(const std::string& tenant) const {
  return absl::StrCat(prefix_, "rules:", tenant);
}

absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> RuleStore::Versions() {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Command({"HGETALL", versions_key_});
  if (!reply.ok()) return reply.status();
  absl::flat_hash_map<std::string, int64_t> out;
  for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
    auto v = ToInt(reply->elements[i + 1]);
    if (!v.ok()) return v.status();
    out[reply->elements[i].str] = *v;
  }
  return out;
}

absl::StatusOr<StoredRules> RuleStore::Load(const std::string& tenant) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(LoadScript(), {RulesKey(tenant), versions_key_}, {tenant});
  if (!reply.ok()) return reply.status();
  if (!reply->IsArray() || reply->elements.size() != 2) {
    return absl::InternalError(absl::StrCat("rule store: unexpected reply ", reply->DebugString()));
  }
  StoredRules out;
  if (!reply->elements[0].IsNil()) {
    auto v = ToInt(reply->elements[0]);
    if (!v.ok()) return v.status();
    out.version = *v;
  }
  const auto& fields = reply->elements[1].elements;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& id = fields[i].str;
    const std::string& value = fields[i + 1].str;
    if (value.empty()) {
      out.deleted.push_back(id);
      continue;
    }
    v1::RoutingRule rule;
    if (!rule.ParseFromString(value)) {
      return absl::DataLossError(
          absl::StrCat("rule store: rule \"", id, "\" of tenant ", tenant, " does not parse"));
    }
    out.rules.push_back(std::move(rule));
  }
  return out;
}

absl::StatusOr<int64_t> RuleStore::Put(const v1::RoutingRule& rule) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(WriteScript(), {RulesKey(rule.tenant_id()), versions_key_},
                              {rule.tenant_id(), rule.rule_id(), rule.SerializeAsString()});
  if (!reply.ok()) return reply.status();
  return ToInt(*reply);
}

absl::StatusOr<int64_t> RuleStore::Delete(const std::string& tenant, const std::string& rule_id) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply =
      (*lease)->Eval(WriteScript(), {RulesKey(tenant), versions_key_}, {tenant, rule_id, ""});
  if (!reply.ok()) return reply.status();
  return ToInt(*reply);
}

}  // namespace smsflow::router
