#pragma once
// Validation of one RoutingRule on its own (uniqueness of ids is checked by
// CompileRules, which sees the whole table).

#include <optional>
#include <string>

#include "services/router/rules/rule_options.h"
#include "smsflow/v1/routing_rule.pb.h"

namespace smsflow::router {

struct FieldError {
  // Proto field path relative to the rule, e.g. "match.regex.pattern",
  // "time_window.days[1]", "action.auto_reply.template_text".
  std::string field;
  std::string message;
};

// Checks everything a rule must satisfy: rule_id of 1-64 [a-z0-9_-]; tenant
// matches options.tenant_id; destination_number empty, E.164 or 3-8 digits;
// exactly one match; keywords/phrases non-empty after normalisation; regex
// compiles under RE2; intent known and min_confidence in [0, 1]; time window
// valid; action.destination of 1-64 [a-z0-9_.-]; tags non-empty; auto-reply
// template parses and each of its variables has a source (rule variables,
// options.tenant_variables or options.message_variables).
std::optional<FieldError> ValidateRule(const v1::RoutingRule& rule, const RuleOptions& options);

// The RE2 pattern a regex or phrase rule contributes to the shared RE2::Set;
// the text it runs on is the raw message. Regex: the tenant's pattern,
// prefixed with (?i) unless case_sensitive. Phrase: each phrase's words with
// any run of non-letters/digits between them, bounded by non-letters/digits
// or the ends of the text, case-insensitive; group 1 is the phrase as written
// in the message.
std::string SetPatternFor(const v1::RoutingRule& rule);

}  // namespace smsflow::router
