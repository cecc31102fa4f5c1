#include "services/router/rules/compliance.h"

namespace smsflow::router {

v1::KeywordFamily FamilyOfIntent(std::string_view intent) {
  if (intent == kOptOutIntent) return v1::KEYWORD_FAMILY_OPT_OUT;
  if (intent == kOptInIntent) return v1::KEYWORD_FAMILY_OPT_IN;
  if (intent == kHelpIntent) return v1::KEYWORD_FAMILY_HELP;
  return v1::KEYWORD_FAMILY_UNSPECIFIED;
}

}  // namespace smsflow::router
