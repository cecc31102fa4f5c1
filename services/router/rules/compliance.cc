#include "services/router/rules/compliance.h"

#include "services/router/rules/normalize.h"
#include "services/router/rules/string_compat.h"

namespace smsflow::router {

ComplianceKeywords ComplianceKeywords::Defaults() {
  ComplianceKeywords k;
  for (std::string_view w : {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke",
                             "optout", "opt out", "stop all", "opt-out", "arret", "remove", "td"}) {
    k.Add(w, v1::KEYWORD_FAMILY_OPT_OUT);
  }
  for (std::string_view w : {"start", "yes", "unstop"}) k.Add(w, v1::KEYWORD_FAMILY_OPT_IN);
  for (std::string_view w : {"help", "info"}) k.Add(w, v1::KEYWORD_FAMILY_HELP);
  return k;
}

void ComplianceKeywords::Add(std::string_view keyword, v1::KeywordFamily family) {
  std::string key = NormalizeForMatch(keyword);
  if (!key.empty()) words_[std::move(key)] = family;
}

v1::KeywordFamily ComplianceKeywords::Classify(std::string_view normalized_text) const {
  const auto it = words_.find(ToAbsl(normalized_text));
  return it == words_.end() ? v1::KEYWORD_FAMILY_UNSPECIFIED : it->second;
}

v1::KeywordFamily FamilyOfIntent(std::string_view intent) {
  if (intent == kOptOutIntent) return v1::KEYWORD_FAMILY_OPT_OUT;
  if (intent == kOptInIntent) return v1::KEYWORD_FAMILY_OPT_IN;
  if (intent == kHelpIntent) return v1::KEYWORD_FAMILY_HELP;
  return v1::KEYWORD_FAMILY_UNSPECIFIED;
}

}  // namespace smsflow::router
