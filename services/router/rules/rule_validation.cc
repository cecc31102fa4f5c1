#include "services/router/rules/rule_validation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"
#include "services/router/rules/normalize.h"
#include "services/router/rules/string_compat.h"
#include "services/router/rules/time_window.h"

namespace smsflow::router {
namespace {

bool IsIdChar(char c, bool allow_dot) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         (allow_dot && c == '.');
}

bool IsName(std::string_view s, bool allow_dot) {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [&](char c) { return IsIdChar(c, allow_dot); });
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsBusinessNumber(std::string_view s) {
  if (!s.empty() && s[0] == '+') {
    return s.size() >= 8 && s.size() <= 16 && s[1] != '0' && IsDigits(s.substr(1));
  }
  return s.size() >= 3 && s.size() <= 8 && IsDigits(s);
}

// Words of a phrase, split on anything that is not an ASCII letter or digit
// (non-ASCII bytes stay inside words).
std::vector<std::string> PhraseWords(std::string_view phrase) {
  std::vector<std::string> words;
  std::string current;
  for (char c : NormalizeForMatch(phrase)) {
    if (IsAsciiSpace(c) || IsAsciiPunct(c)) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

RE2::Options RegexOptions() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(RE2::Options::EncodingUTF8);
  return o;
}

FieldError Err(std::string field, std::string message) {
  return {std::move(field), std::move(message)};
}

std::optional<FieldError> ValidateMatch(const v1::RoutingRule& rule, const RuleOptions& options) {
  switch (rule.match_case()) {
    case v1::RoutingRule::kKeyword: {
      const auto& k = rule.keyword();
      if (k.keywords().empty()) return Err("match.keyword.keywords", "at least one keyword");
      for (int i = 0; i < k.keywords_size(); ++i) {
        if (NormalizeForMatch(k.keywords(i)).empty()) {
          return Err(absl::StrCat("match.keyword.keywords[", i, "]"),
                     "empty after trimming whitespace and punctuation");
        }
      }
      if (!v1::KeywordPosition_IsValid(k.position())) {
        return Err("match.keyword.position", absl::StrCat("unknown position ", k.position()));
      }
      return std::nullopt;
    }
    case v1::RoutingRule::kPhrase:
      if (rule.phrase().phrases().empty())
        return Err("match.phrase.phrases", "at least one phrase");
      for (int i = 0; i < rule.phrase().phrases_size(); ++i) {
        if (PhraseWords(rule.phrase().phrases(i)).empty()) {
          return Err(absl::StrCat("match.phrase.phrases[", i, "]"), "has no words");
        }
      }
      return std::nullopt;
    case v1::RoutingRule::kRegex: {
      if (rule.regex().pattern().empty()) return Err("match.regex.pattern", "empty pattern");
      const RE2 re(SetPatternFor(rule), RegexOptions());
      if (!re.ok()) return Err("match.regex.pattern", re.error());
      return std::nullopt;
    }
    case v1::RoutingRule::kIntent: {
      const auto& m = rule.intent();
      if (!options.known_intents.contains(m.intent())) {
        std::vector<std::string> known(options.known_intents.begin(), options.known_intents.end());
        std::sort(known.begin(), known.end());
        return Err("match.intent.intent", absl::StrCat("unknown intent '", m.intent(), "' (known: ",
                                                       absl::StrJoin(known, ", "), ")"));
      }
      if (!(m.min_confidence() >= 0.0f && m.min_confidence() <= 1.0f)) {
        return Err("match.intent.min_confidence",
                   absl::StrCat(m.min_confidence(), " is not in [0, 1]"));
      }
      return std::nullopt;
    }
    case v1::RoutingRule::kCatchAll:
      return std::nullopt;
    case v1::RoutingRule::MATCH_NOT_SET:
      break;
  }
  return Err("match", "exactly one of keyword, phrase, regex, intent, catch_all is required");
}

std::optional<FieldError> ValidateAction(const v1::RoutingRule& rule, const RuleOptions& options) {
  if (!rule.has_action() || rule.action().destination().empty()) {
    return Err("action.destination", "required");
  }
  const v1::RuleAction& action = rule.action();
  if (!IsName(action.destination(), /*allow_dot=*/true)) {
    return Err("action.destination",
               absl::StrCat("'", action.destination(), "' must be 1-64 characters of [a-z0-9_.-]"));
  }
  for (int i = 0; i < action.tags_size(); ++i) {
    if (action.tags(i).empty() || action.tags(i).size() > 64) {
      return Err(absl::StrCat("action.tags[", i, "]"), "must be 1-64 characters");
    }
  }
  if (!action.has_auto_reply()) return std::nullopt;
  const std::string& text = action.auto_reply().template_text();
  if (text.empty()) return Err("action.auto_reply.template_text", "empty reply text");
  absl::StatusOr<ReplyTemplate> tmpl = ReplyTemplate::Parse(text);
  if (!tmpl.ok()) {
    return Err("action.auto_reply.template_text", std::string(tmpl.status().message()));
  }
  for (const std::string& name : tmpl->variables()) {
    if (!action.auto_reply().variables().count(name) != 0 &&
        !options.tenant_variables.contains(name) && !options.message_variables.contains(name)) {
      return Err("action.auto_reply.template_text",
                 absl::StrCat("variable {{", name,
                              "}} has no value in the rule, the tenant configuration or the "
                              "message variables"));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string SetPatternFor(const v1::RoutingRule& rule) {
  if (rule.match_case() == v1::RoutingRule::kRegex) {
    return rule.regex().case_sensitive() ? rule.regex().pattern()
                                         : absl::StrCat("(?i)", rule.regex().pattern());
  }
  std::vector<std::string> alternatives;
  for (const std::string& phrase : rule.phrase().phrases()) {
    std::vector<std::string> words = PhraseWords(phrase);
    for (std::string& w : words) w = RE2::QuoteMeta(w);
    alternatives.push_back(absl::StrJoin(words, "[^\\pL\\pN]+"));
  }
  return absl::StrCat("(?i)(?:^|[^\\pL\\pN])(", absl::StrJoin(alternatives, "|"),
                      ")(?:[^\\pL\\pN]|$)");
}

std::optional<FieldError> ValidateRule(const v1::RoutingRule& rule, const RuleOptions& options) {
  if (!IsName(rule.rule_id(), /*allow_dot=*/false)) {
    return Err("rule_id", "must be 1-64 characters of [a-z0-9_-]");
  }
  if (!options.tenant_id.empty() && !rule.tenant_id().empty() &&
      rule.tenant_id() != options.tenant_id) {
    return Err("tenant_id",
               absl::StrCat("'", rule.tenant_id(), "' is not tenant '", options.tenant_id, "'"));
  }
  if (!rule.destination_number().empty() && !IsBusinessNumber(rule.destination_number())) {
    return Err("destination_number", absl::StrCat("'", rule.destination_number(),
                                                  "' is neither E.164 nor short-code digits"));
  }
  if (auto e = ValidateMatch(rule, options)) return e;
  if (rule.has_time_window()) {
    absl::StatusOr<TimeWindow> w = TimeWindow::Compile(rule.time_window(), options.time_zone);
    if (!w.ok()) {
      const std::string msg(w.status().message());
      const size_t colon = msg.find(": ");
      return Err(absl::StrCat("time_window.", msg.substr(0, colon)), msg.substr(colon + 2));
    }
  }
  return ValidateAction(rule, options);
}

}  // namespace smsflow::router
