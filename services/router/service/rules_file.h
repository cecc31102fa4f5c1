#pragma once
// The router's rules file (--rules-file): per-tenant settings and the rule
// tables the router starts from.
//
//   tenants:
//     acme:                                  # tenant id (as in the tenants file)
//       time_zone: America/New_York          # optional; default: tenants file, else UTC
//       default_destination: inbox           # optional; where unmatched messages go
//       compliance_destination: compliance   # optional; unclaimed STOP/START/HELP
//       variables: {store_hours: "9am-5pm"}  # optional; template values (lowest precedence)
//       rules: [...]                         # services/router/rules/rules_yaml.h format
//
// Every key is checked; an error is INVALID_ARGUMENT naming the YAML path
// ("tenants.acme.rules[2].match.regex: ..."). A tenant absent from the file
// starts with no rules (every message goes to its default destination).
// Pure: parsing only; thread-compatible value types.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/tenants.h"
#include "services/router/rules/rule_options.h"
#include "smsflow/v1/routing_rule.pb.h"

namespace smsflow::router {

struct TenantRulesConfig {
  RuleOptions options;                 // tenant_id, zone, destinations, variables set
  std::vector<v1::RoutingRule> rules;  // as the file gives them
};

// Options for `tenant_id` when the file says nothing about it: `base` with
// tenant_id set and the time zone from `tenants` (when it knows the tenant).
RuleOptions DefaultTenantOptions(const RuleOptions& base, std::string_view tenant_id,
                                 const config::TenantDirectory* tenants);

// `tenants` may be null. Rules are validated with each tenant's options.
absl::StatusOr<std::map<std::string, TenantRulesConfig>> ParseRouterRulesYaml(
    std::string_view yaml, const RuleOptions& base, const config::TenantDirectory* tenants);
absl::StatusOr<std::map<std::string, TenantRulesConfig>> LoadRouterRulesFile(
    const std::string& path, const RuleOptions& base, const config::TenantDirectory* tenants);

// True for a valid destination name: 1-64 characters of [a-z0-9_.-].
bool IsDestinationName(std::string_view name);

}  // namespace smsflow::router
