#pragma once
// Which messages are compliance messages (COMPLIANCE.md "Keywords"): the
// router routes them but never auto-answers them, because the consent service
// owns their replies. Immutable after construction; thread-safe.

#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "smsflow/v1/common.pb.h"

namespace smsflow::router {

// Intent labels that mean a compliance message when the model is confident.
inline constexpr std::string_view kOptOutIntent = "opt_out";
inline constexpr std::string_view kOptInIntent = "opt_in";
inline constexpr std::string_view kHelpIntent = "help";

class ComplianceKeywords {
 public:
  // The defaults of COMPLIANCE.md: opt-out STOP, STOPALL, UNSUBSCRIBE, CANCEL,
  // END, QUIT, REVOKE, OPTOUT, "OPT OUT", "STOP ALL", OPT-OUT, ARRET, REMOVE,
  // TD; opt-in START, YES, UNSTOP; help HELP, INFO.
  static ComplianceKeywords Defaults();

  // Adds a tenant extra; `keyword` is normalised (NormalizeForMatch) first.
  // Defaults cannot be removed (COMPLIANCE.md), only added to.
  void Add(std::string_view keyword, v1::KeywordFamily family);

  // The family of a whole message already normalised with NormalizeForMatch,
  // or KEYWORD_FAMILY_UNSPECIFIED. A keyword inside a longer sentence ("don't
  // stop the reminders") is deliberately not a match: plain-language
  // opt-outs are the intent model's job.
  v1::KeywordFamily Classify(std::string_view normalized_text) const;

 private:
  absl::flat_hash_map<std::string, v1::KeywordFamily> words_;
};

// The compliance family an intent label stands for, or UNSPECIFIED.
v1::KeywordFamily FamilyOfIntent(std::string_view intent);

}  // namespace smsflow::router
