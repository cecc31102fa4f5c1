#include "services/router/rules/rule_set.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "re2/re2.h"
#include "services/router/rules/normalize.h"
#include "services/router/rules/rule_validation.h"
#include "services/router/rules/string_compat.h"

namespace smsflow::router {
namespace {

// The RE2::Set holds every regex and phrase of a tenant; give its lazily
// built DFA room so that hundreds of patterns do not fall back to the slow
// path (RE2's default is 8 MiB).
constexpr int64_t kSetMaxMemory = 64 << 20;

// Debian's RE2 (2022-06-01) takes its own StringPiece.
re2::StringPiece Piece(std::string_view s) { return {s.data(), s.size()}; }

RE2::Options MatchOptions(int64_t max_mem) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_max_mem(max_mem);
  return o;
}

v1::MatchKind KindOf(const v1::RoutingRule& rule) {
  switch (rule.match_case()) {
    case v1::RoutingRule::kKeyword:
      return v1::MATCH_KIND_KEYWORD;
    case v1::RoutingRule::kPhrase:
      return v1::MATCH_KIND_PHRASE;
    case v1::RoutingRule::kRegex:
      return v1::MATCH_KIND_REGEX;
    case v1::RoutingRule::kIntent:
      return v1::MATCH_KIND_INTENT;
    default:
      return v1::MATCH_KIND_CATCH_ALL;
  }
}

// Evaluation order; see rule_set.h.
bool EvaluatedBefore(const v1::RoutingRule* a, const v1::RoutingRule* b) {
  return std::make_tuple(a->priority(), a->destination_number().empty(), a->rule_id()) <
         std::make_tuple(b->priority(), b->destination_number().empty(), b->rule_id());
}

}  // namespace

void MatchResult::ToProto(v1::Classification* out) const {
  out->set_rule_id(std::string(rule_id));
  out->set_match_kind(match_kind);
  out->set_destination(std::string(destination));
  out->clear_tags();
  for (const std::string& tag : tags) out->add_tags(tag);
  out->set_compliance_keyword(compliance_keyword);
  out->set_keyword_family(keyword_family);
  out->set_matched_text(std::string(matched_text));
}

CompiledRules::~CompiledRules() = default;

absl::StatusOr<std::shared_ptr<const CompiledRules>> CompiledRules::Compile(
    absl::Span<const v1::RoutingRule> rules, RuleOptions options) {
  std::shared_ptr<CompiledRules> compiled(new CompiledRules());
  compiled->options_ = std::move(options);
  if (absl::Status s = compiled->Build(rules); !s.ok()) return s;
  return std::shared_ptr<const CompiledRules>(std::move(compiled));
}

absl::Status CompiledRules::Build(absl::Span<const v1::RoutingRule> rules) {
  absl::flat_hash_set<std::string> ids;
  std::vector<const v1::RoutingRule*> enabled;
  for (const v1::RoutingRule& rule : rules) {
    if (auto e = ValidateRule(rule, options_)) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule \"", rule.rule_id(), "\": ", e->field, ": ", e->message));
    }
    if (!ids.insert(rule.rule_id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("rule \"", rule.rule_id(), "\": rule_id: duplicate rule id"));
    }
    if (!rule.disabled()) enabled.push_back(&rule);
  }
  std::sort(enabled.begin(), enabled.end(), EvaluatedBefore);

  set_ = std::make_unique<RE2::Set>(MatchOptions(kSetMaxMemory), RE2::UNANCHORED);
  rules_.resize(enabled.size());
  for (size_t i = 0; i < enabled.size(); ++i) {
    const v1::RoutingRule& src = *enabled[i];
    CompiledRule& r = rules_[i];
    const int index = static_cast<int>(i);
    r.id = src.rule_id();
    r.destination_number = src.destination_number();
    r.priority = src.priority();
    r.kind = KindOf(src);
    r.destination = src.action().destination();
    r.tags.assign(src.action().tags().begin(), src.action().tags().end());
    if (src.action().has_auto_reply()) {
      r.auto_reply = *ReplyTemplate::Parse(src.action().auto_reply().template_text());
      for (const auto& [name, value] : src.action().auto_reply().variables()) {
        r.reply_variables[name] = value;
      }
    }
    if (src.has_time_window()) {
      r.window = *TimeWindow::Compile(src.time_window(), options_.time_zone);
    }
    switch (src.match_case()) {
      case v1::RoutingRule::kKeyword: {
        const bool first_word = src.keyword().position() == v1::KEYWORD_POSITION_FIRST_WORD;
        KeywordIndex& index_map = first_word ? first_words_ : whole_message_;
        r.keywords.assign(src.keyword().keywords().begin(), src.keyword().keywords().end());
        for (size_t k = 0; k < r.keywords.size(); ++k) {
          std::string key = NormalizeForMatch(r.keywords[k]);
          if (first_word) max_first_words_ = std::max(max_first_words_, CountWords(key));
          std::vector<Candidate>& hits = index_map[key];
          // An alias repeated within one rule adds nothing.
          if (hits.empty() || hits.back().rule != index) {
            hits.push_back({index, static_cast<int>(k)});
          }
        }
        break;
      }
      case v1::RoutingRule::kPhrase:
      case v1::RoutingRule::kRegex: {
        const std::string pattern = SetPatternFor(src);
        r.regex = std::make_unique<RE2>(pattern, MatchOptions(8 << 20));
        std::string error;
        if (set_->Add(pattern, &error) < 0) {
          return absl::InvalidArgumentError(absl::StrCat("rule \"", r.id, "\": match: ", error));
        }
        set_rule_.push_back(index);
        break;
      }
      case v1::RoutingRule::kIntent:
        r.intent = src.intent().intent();
        r.min_confidence = src.intent().min_confidence() > 0 ? src.intent().min_confidence()
                                                             : options_.default_min_confidence;
        intent_rules_[r.intent].push_back(index);
        break;
      default:
        catch_all_rules_.push_back(index);
        break;
    }
  }
  if (set_rule_.empty()) {
    set_.reset();
  } else if (!set_->Compile()) {
    return absl::ResourceExhaustedError(
        "the tenant's regex and phrase rules are too large for RE2");
  }
  return absl::OkStatus();
}

template <typename Out>
void CompiledRules::CollectCandidates(const MatchInput& input, std::string_view normalized,
                                      bool compliance, Out* out) const {
  if (const auto it = whole_message_.find(ToAbsl(normalized)); it != whole_message_.end()) {
    out->insert(out->end(), it->second.begin(), it->second.end());
  }
  for (int n = 1; n <= max_first_words_; ++n) {
    const std::string_view words = FirstWords(normalized, n);
    if (words.empty()) break;
    if (const auto it = first_words_.find(ToAbsl(words)); it != first_words_.end()) {
      out->insert(out->end(), it->second.begin(), it->second.end());
    }
  }
  if (set_ != nullptr) {
    // Reused per thread: the set's answer is the only per-message allocation.
    thread_local std::vector<int> matched;
    matched.clear();
    RE2::Set::ErrorInfo error;
    if (set_->Match(Piece(input.text), &matched, &error)) {
      for (int pattern : matched) out->push_back({set_rule_[pattern]});
    } else if (error.kind != RE2::Set::kNoError) {
      // The DFA ran out of memory on this text: fall back to the rules one
      // by one rather than miss a match.
      for (int rule : set_rule_) {
        if (RE2::PartialMatch(Piece(input.text), *rules_[rule].regex)) out->push_back({rule});
      }
    }
  }
  if (input.intent.has_value()) {
    if (const auto it = intent_rules_.find(ToAbsl(input.intent->intent));
        it != intent_rules_.end()) {
      for (int rule : it->second) {
        if (input.intent->confidence >= rules_[rule].min_confidence) out->push_back({rule});
      }
    }
  }
  if (!compliance) {
    for (int rule : catch_all_rules_) out->push_back({rule});
  }
}

bool CompiledRules::Applies(const CompiledRule& rule, const MatchInput& input) const {
  if (!rule.destination_number.empty() && rule.destination_number != input.destination_number) {
    return false;
  }
  return !rule.window.has_value() || rule.window->Contains(input.time);
}

std::string_view CompiledRules::MatchedText(const CompiledRule& rule, const Candidate& c,
                                            std::string_view text) const {
  if (rule.kind == v1::MATCH_KIND_KEYWORD) return rule.keywords[c.keyword];
  if (rule.regex == nullptr) return {};
  // Only the winner is re-run, to find where it matched.
  re2::StringPiece groups[2];
  const int group = rule.kind == v1::MATCH_KIND_PHRASE ? 1 : 0;
  if (!rule.regex->Match(Piece(text), 0, text.size(), RE2::UNANCHORED, groups, group + 1)) {
    return {};
  }
  return {groups[group].data(), groups[group].size()};
}

MatchResult CompiledRules::Match(const MatchInput& input) const {
  const std::string normalized = NormalizeForMatch(input.text);
  MatchResult result;
  // The consent service's own classifier, so what it records as an opt-out
  // is never auto-answered here.
  result.keyword_family = keywords::ToProto(options_.compliance.Classify(input.text).family);
  if (result.keyword_family == v1::KEYWORD_FAMILY_UNSPECIFIED && input.intent.has_value() &&
      input.intent->confidence >= options_.compliance_min_confidence) {
    result.keyword_family = FamilyOfIntent(input.intent->intent);
  }
  result.compliance_keyword = result.keyword_family != v1::KEYWORD_FAMILY_UNSPECIFIED;

  absl::InlinedVector<Candidate, 16> candidates;
  CollectCandidates(input, normalized, result.compliance_keyword, &candidates);
  // Rules are stored in evaluation order, so the lowest index that applies wins.
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.rule < b.rule; });
  for (const Candidate& c : candidates) {
    const CompiledRule& rule = rules_[c.rule];
    if (!Applies(rule, input)) continue;
    result.rule = &rule;
    result.match_kind = rule.kind;
    result.rule_id = rule.id;
    result.destination = rule.destination;
    result.tags = rule.tags;
    result.matched_text = MatchedText(rule, c, input.text);
    // The consent service owns replies to compliance messages.
    if (!result.compliance_keyword && rule.auto_reply.has_value()) {
      result.auto_reply = &*rule.auto_reply;
    }
    return result;
  }
  result.match_kind = v1::MATCH_KIND_DEFAULT;
  result.destination =
      result.compliance_keyword ? options_.compliance_destination : options_.default_destination;
  return result;
}

absl::StatusOr<std::optional<std::string>> CompiledRules::RenderAutoReply(
    const MatchResult& result, const VariableMap& message_variables) const {
  if (result.compliance_keyword || result.auto_reply == nullptr || result.rule == nullptr) {
    return std::optional<std::string>();
  }
  const VariableMap* sources[] = {&message_variables, &result.rule->reply_variables,
                                  &options_.tenant_variables};
  absl::StatusOr<std::string> text = result.auto_reply->Render(sources);
  if (!text.ok()) return text.status();
  return std::optional<std::string>(*std::move(text));
}

}  // namespace smsflow::router
