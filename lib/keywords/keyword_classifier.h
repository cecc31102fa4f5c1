// Classifies an inbound SMS body as an opt-out, opt-in or help keyword, or a
// plain-language opt-out, per shared/COMPLIANCE.md "Keywords". Pure logic,
// shared so that every service decides alike: the consent service turns a
// Classification into ledger events and confirmation replies; the router
// never auto-answers a message classified as a compliance keyword.
#ifndef SMSFLOW_LIB_KEYWORDS_KEYWORD_CLASSIFIER_H_
#define SMSFLOW_LIB_KEYWORDS_KEYWORD_CLASSIFIER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace smsflow::keywords {

enum class KeywordFamily { kNone, kOptOut, kOptIn, kHelp };
enum class Method { kNone, kExactKeyword, kPhrase };  // how the family was decided

std::string_view FamilyName(KeywordFamily family);  // "none", "opt_out", "opt_in", "help"
std::string_view MethodName(Method method);         // "none", "exact_keyword", "phrase"

struct Classification {
  KeywordFamily family = KeywordFamily::kNone;
  Method method = Method::kNone;
  // The canonical keyword ("STOP", "OPT OUT") or the phrase rule id
  // ("stop-contacting"); for kNone the best rejected rule id, if any.
  std::string matched;
  // 1.0 for exact keywords; the rule score for phrases; for kNone the best
  // rejected phrase score (0 when no rule came close), kept for audit.
  double score = 0;
  // Human-readable, for the ledger: "keyword STOP", or "phrase 'STOP TEXTING
  // ME' (rule stop-contacting, base 0.95, no negation) score 0.95 >= threshold
  // 0.80". Carries normalised message text: not for info-level logs.
  std::string evidence;
};

// Per-tenant keyword configuration; the defaults are COMPLIANCE.md's.
struct KeywordConfig {
  // Extra whole-message keywords, e.g. Spanish ALTO, PARAR, CANCELAR; AYUDA.
  std::vector<std::string> extra_opt_out, extra_opt_in, extra_help;
  // Default keywords to drop (e.g. "END"). STOP, START and HELP cannot be
  // removed; neither can a word that is not a default.
  std::vector<std::string> removed;
  // Plain-language opt-outs exist because consent may be revoked by "any
  // reasonable means" (47 CFR 64.1200); switching them off leaves the tenant
  // responsible for catching such messages some other way (e.g. a human inbox).
  bool plain_language_opt_out = true;
};

// Built once per tenant configuration; immutable, cheap to copy (shared
// state), and safe to call from any number of threads.
class KeywordClassifier {
 public:
  // INVALID_ARGUMENT naming the field and word, e.g. "removed: STOP cannot be
  // removed", "extra_opt_in: YES is already an opt-out keyword".
  static absl::StatusOr<KeywordClassifier> Create(const KeywordConfig& config);

  // Exact keywords first (whole message, ignoring case, accents, surrounding
  // whitespace, punctuation and emoji); then, if enabled, plain-language
  // opt-out phrases. Never fails; any byte sequence is accepted.
  Classification Classify(std::string_view text) const;

 private:
  struct State;
  explicit KeywordClassifier(std::shared_ptr<const State> state) : state_(std::move(state)) {}
  std::shared_ptr<const State> state_;
};

// A classifier with COMPLIANCE.md's defaults and nothing else (shared).
const KeywordClassifier& DefaultKeywordClassifier();

// COMPLIANCE.md defaults, canonical (normalised) spelling.
const std::vector<std::string>& DefaultOptOutKeywords();
const std::vector<std::string>& DefaultOptInKeywords();
const std::vector<std::string>& DefaultHelpKeywords();

}  // namespace smsflow::keywords

#endif  // SMSFLOW_LIB_KEYWORDS_KEYWORD_CLASSIFIER_H_
