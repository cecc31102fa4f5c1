// The plain-language opt-out rule set, as data. Kept apart from the scorer so
// a reviewer can read every pattern, score and context penalty in one place.
#ifndef SMSFLOW_LIB_KEYWORDS_OPT_OUT_PHRASE_RULES_H_
#define SMSFLOW_LIB_KEYWORDS_OPT_OUT_PHRASE_RULES_H_

#include <string>
#include <string_view>
#include <vector>

namespace smsflow::keywords {

// A pattern over NormalizedText::PhraseForm(): upper-case tokens separated by
// single spaces, "." for clause punctuation, apostrophes removed.
struct PhraseRuleSpec {
  std::string id;       // stable name recorded as evidence, e.g. "stop-contacting"
  std::string pattern;  // RE2 syntax, macros already expanded
  double score;         // confidence when matched, not negated, no context
  // Weak rules rest on a bare keyword with little grammar around it ("STOP.
  // who is this?"); sentiment context ("lol", "amazing") can cancel them.
  bool weak = false;
  // Threat rules ("if you don't stop texting me...") contain a negation and a
  // conditional by construction, so negation and context do not apply.
  bool exempt = false;
  // The verb names what the sender does ("texting", "sending"), so a negated
  // modal with "you" as subject complains or asks ("can't you stop texting
  // me", "you people won't stop texting me") instead of negating. Not for
  // "stop the reminders": "you won't stop the reminders, right?" wants them.
  bool rhetorical = false;
};

// Something elsewhere in the message that lowers every candidate's score.
struct ContextSpec {
  std::string id;  // e.g. "hypothetical"
  std::string pattern;
  double penalty;
  bool weak_only = false;  // applies to weak rules only
  // The penalty applies when the pattern is ABSENT: weak rules ("Stop, you're
  // making me hungry") need the message to be about messages at all.
  bool when_absent = false;
};

// Recorded with every plain-language decision (ConsentEvent.model_version) so
// an audit knows which rules were in force; bump it with any rule change.
// 1: first rule set; 2: the 2026-12-04 generalisations (held-out test6:
// precision 0.9940, recall 0.9076).
inline constexpr std::string_view kPhraseRulesVersion = "consent-keywords/phrase-rules-2";

const std::vector<PhraseRuleSpec>& OptOutPhraseRules();
const std::vector<ContextSpec>& OptOutContexts();

// Tokens that negate a match starting within kNegationWindow tokens after them
// in the same clause ("don't stop the reminders"), provided every token in
// between is a bridge ("don't want to stop", "won't ever stop"): in "I'm not
// your customer stop texting me" the NOT belongs to another phrase.
bool IsNegator(const std::string& token);
// SMS shorthand the rules need not list in every pattern ("frm" -> FROM,
// "stpo" -> STOP); nullptr when the token is already canonical.
const std::string* CanonicalSpelling(const std::string& token);
bool IsNegationBridge(const std::string& token);
inline constexpr int kNegationWindow = 4;

}  // namespace smsflow::keywords

#endif  // SMSFLOW_LIB_KEYWORDS_OPT_OUT_PHRASE_RULES_H_
