// Scores plain-language opt-outs ("please stop texting me", "take me off your
// list") with the rule set of opt_out_phrase_rules.cc, and refuses keywords in
// unrelated sentences ("don't stop the reminders") through negation and
// context penalties. Owns the compiled RE2 programs; immutable and safe to
// share between threads after Create().
#ifndef SMSFLOW_LIB_KEYWORDS_OPT_OUT_PHRASE_SCORER_H_
#define SMSFLOW_LIB_KEYWORDS_OPT_OUT_PHRASE_SCORER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/keywords/opt_out_phrase_rules.h"
#include "lib/keywords/text_normalizer.h"
#include "re2/re2.h"
#include "re2/set.h"

namespace smsflow::keywords {

struct PhraseVerdict {
  // Best candidate's score after negation and context; 0 when no rule matched.
  double score = 0;
  std::string rule_id;   // rule of the best candidate; "" when none matched
  std::string evidence;  // why, e.g. "phrase 'STOP TEXTING ME' (rule ..., score 0.95)"
  bool opt_out = false;  // score >= kThreshold
};

class OptOutPhraseScorer {
 public:
  // Chosen on the dev split for precision first: every rule scores >= 0.85
  // when clean, and any single context penalty (>= 0.5) pushes it below.
  static constexpr double kThreshold = 0.8;

  // Compiles every rule; an error here is a bug in the rule table.
  static absl::StatusOr<std::unique_ptr<const OptOutPhraseScorer>> Create();

  PhraseVerdict Score(const NormalizedText& text) const;

 private:
  struct Rule {
    const PhraseRuleSpec* spec;
    std::unique_ptr<RE2> re;
  };
  struct Context {
    const ContextSpec* spec;
    std::unique_ptr<RE2> re;
  };

  OptOutPhraseScorer() : any_rule_(RE2::Options(), RE2::UNANCHORED) {}

  // The negating token before a match starting at token index `start`, or ""
  // ("don't stop the reminders" -> "DONT"; "why won't you stop" -> "");
  // `rhetorical_ok` also clears IsRhetoricalNegation() forms.
  static std::string NegationBefore(const std::vector<std::string>& tokens, size_t start,
                                    bool rhetorical_ok);
  // Whether the negator at tokens[at] belongs to a complaint or a request
  // about the sender ("can't you stop", "you guys won't stop"), not a wish
  // that the messages continue.
  static bool IsRhetoricalNegation(const std::vector<std::string>& tokens, size_t at);

  std::vector<Rule> rules_;
  std::vector<Context> contexts_;
  // One DFA pass answers "could any rule match?" so ordinary messages never
  // run the individual rules.
  RE2::Set any_rule_;
};

}  // namespace smsflow::keywords

#endif  // SMSFLOW_LIB_KEYWORDS_OPT_OUT_PHRASE_SCORER_H_
