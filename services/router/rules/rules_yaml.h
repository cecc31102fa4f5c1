#pragma once
// A tenant's routing rules from YAML. The shape mirrors v1::RoutingRule:
//
//   rules:
//     - id: balance                      # rule_id, [a-z0-9_-]{1,64}
//       priority: 10                     # default 0; lower first
//       description: balance requests    # optional
//       disabled: false                  # optional
//       destination_number: "+14155550100"  # optional; empty = tenant-wide
//       match:                           # exactly one of:
//         keyword: BALANCE               #   keyword, with optional
//         aliases: [BAL, SALDO]          #     aliases and
//         position: first_word           #     first_word | whole_message (default)
//       # phrase: "in stock"             #   phrase: a string or a list of strings
//       # regex: '(?:order|ord)\s*#?\d{5,}'   with optional case_sensitive: true
//       # intent: store_hours            #   with optional min_confidence: 0.6
//       # catch_all: true
//       window:                          # optional
//         start: "21:00"                 # HH:MM local; end < start crosses midnight
//         end: "08:00"
//         days: [mon, tue, wed, thu, fri]  # optional; the day the window starts
//         time_zone: America/New_York    # optional; default the tenant's
//       action:
//         destination: billing           # required
//         auto_reply: "Hi {{first_name}}, your balance is ..."   # optional, or
//         # auto_reply: {text: "...", variables: {store_hours: "9-5"}}
//         tags: [billing]                # optional
//
// Every key is checked. Errors are INVALID_ARGUMENT naming the YAML path,
// including rule validation ("rules[3].match.regex: missing ): (abc"), so the
// message points at the line to fix.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/router/rules/rule_options.h"
#include "smsflow/v1/routing_rule.pb.h"

namespace YAML {
class Node;
}

namespace smsflow::router {

// Parses and validates a YAML sequence of rules found at `path` (e.g.
// "rules" or "tenants[0].rules" when embedded in the tenants file). Sets
// tenant_id on each rule to options.tenant_id. Rejects duplicate ids.
absl::StatusOr<std::vector<v1::RoutingRule>> ParseRulesNode(const YAML::Node& rules,
                                                            std::string_view path,
                                                            const RuleOptions& options);

// A whole document whose top level is a map with a `rules:` sequence.
absl::StatusOr<std::vector<v1::RoutingRule>> ParseRulesYaml(std::string_view yaml,
                                                            const RuleOptions& options);
absl::StatusOr<std::vector<v1::RoutingRule>> LoadRulesYamlFile(const std::string& file,
                                                               const RuleOptions& options);

}  // namespace smsflow::router
