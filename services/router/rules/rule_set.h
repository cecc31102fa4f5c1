#pragma once
// A tenant's routing rules compiled for matching.
//
// Evaluation order (RoutingRule doc, made precise): the enabled rules that
// apply to the message's destination number (those with that
// destination_number and the tenant-wide ones with none) sorted by
//   1. priority, ascending;
//   2. specificity: a number-specific rule before a tenant-wide one;
//   3. rule_id, ascending (bytewise), so the order is total and stable.
// The first rule whose match and time window both hold wins.
//
// One pass per message whatever the number of rules: keywords are two hash
// lookups (the whole normalised message, and its first 1..k words for
// first-word keywords of up to k words); every regex and phrase rule of the
// tenant is compiled into one RE2::Set run once over the raw message; intent
// rules are a hash lookup by the predicted label. The candidates that match
// (few) are then ordered and the first one that applies wins.
//
// Compliance messages (a whole-message STOP/START/HELP family keyword, or a
// top intent opt_out/opt_in/help at options.compliance_min_confidence) are
// flagged with their family and routed by keyword, phrase, regex and intent
// rules like any message; catch-all rules do not claim them, and when nothing
// else does they go to options.compliance_destination. They never carry an
// auto-reply, whatever the rule says.
//
// Immutable once built; Match is const and thread-safe. Share through
// std::shared_ptr<const CompiledRules> and swap the pointer to apply changes.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "re2/set.h"
#include "services/router/rules/rule_options.h"
#include "services/router/rules/template.h"
#include "services/router/rules/time_window.h"
#include "smsflow/v1/routed.pb.h"
#include "smsflow/v1/routing_rule.pb.h"

namespace re2 {
class RE2;
}

namespace smsflow::router {

struct IntentPrediction {
  std::string_view intent;
  float confidence = 0;
};

struct MatchInput {
  // The message body exactly as received. Keyword matching normalises it;
  // regexes and phrases run on it unchanged, so case-sensitive patterns and
  // punctuation such as "#" in order numbers keep their meaning.
  std::string_view text;
  // Business number the message was sent to; empty matches tenant-wide rules only.
  std::string_view destination_number;
  // When the message arrived; time windows convert it to their own zone.
  absl::Time time = absl::UnixEpoch();
  // The intent model's top intent, when a model is loaded.
  std::optional<IntentPrediction> intent;
};

// One compiled rule. Owned by CompiledRules.
struct CompiledRule {
  std::string id;
  std::string destination_number;
  int32_t priority = 0;
  v1::MatchKind kind = v1::MATCH_KIND_UNSPECIFIED;
  std::string destination;
  std::vector<std::string> tags;
  std::vector<std::string> keywords;  // keyword rules: as the rule spells them
  std::optional<ReplyTemplate> auto_reply;
  VariableMap reply_variables;  // the rule's own template values
  std::optional<TimeWindow> window;
  std::unique_ptr<re2::RE2> regex;  // regex and phrase rules: finds matched_text
  std::string intent;
  float min_confidence = 0;
};

struct MatchResult {
  const CompiledRule* rule = nullptr;  // null for MATCH_KIND_DEFAULT
  v1::MatchKind match_kind = v1::MATCH_KIND_DEFAULT;
  std::string_view rule_id;
  std::string_view destination;
  absl::Span<const std::string> tags;
  // The keyword as the rule spells it, or the part of the message a phrase or
  // regex matched; empty for intent, catch-all and default.
  std::string_view matched_text;
  bool compliance_keyword = false;
  v1::KeywordFamily keyword_family = v1::KEYWORD_FAMILY_UNSPECIFIED;
  // The reply to render, or null: always null for compliance messages.
  const ReplyTemplate* auto_reply = nullptr;

  // Fills the routing fields of a Classification (not intent/model fields).
  void ToProto(v1::Classification* out) const;
};

class CompiledRules {
 public:
  // Validates every rule (INVALID_ARGUMENT 'rule "<id>": <field>: <problem>',
  // also for duplicate ids) and compiles the table. Disabled rules are
  // validated but never match.
  static absl::StatusOr<std::shared_ptr<const CompiledRules>> Compile(
      absl::Span<const v1::RoutingRule> rules, RuleOptions options);

  ~CompiledRules();

  // The winning rule for one message (see the header comment). Views in the
  // result point into this object and into input.text.
  MatchResult Match(const MatchInput& input) const;

  // Renders the auto-reply of `result`: nullopt when there is none (always
  // for compliance messages). Values come from `message_variables`, then the
  // rule's variables, then the tenant's; NOT_FOUND names a missing variable.
  absl::StatusOr<std::optional<std::string>> RenderAutoReply(
      const MatchResult& result, const VariableMap& message_variables) const;

  // Rules in evaluation order (disabled ones excluded).
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const RuleOptions& options() const { return options_; }

 private:
  CompiledRules() = default;
  // A rule that matched, before ordering; keyword = index into its keywords.
  struct Candidate {
    int rule;
    int keyword = -1;
  };
  using KeywordIndex = absl::flat_hash_map<std::string, std::vector<Candidate>>;
  template <typename Out>
  void CollectCandidates(const MatchInput& input, std::string_view normalized, bool compliance,
                         Out* out) const;
  bool Applies(const CompiledRule& rule, const MatchInput& input) const;
  std::string_view MatchedText(const CompiledRule& rule, const Candidate& c,
                               std::string_view text) const;
  absl::Status Build(absl::Span<const v1::RoutingRule> rules);

  RuleOptions options_;
  std::vector<CompiledRule> rules_;
  KeywordIndex whole_message_;
  KeywordIndex first_words_;
  int max_first_words_ = 0;
  std::unique_ptr<re2::RE2::Set> set_;
  std::vector<int> set_rule_;  // RE2::Set pattern index -> rule index
  absl::flat_hash_map<std::string, std::vector<int>> intent_rules_;
  std::vector<int> catch_all_rules_;
};

}  // namespace smsflow::router
