#include "lib/keywords/opt_out_phrase_scorer.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace smsflow::keywords {
namespace {

std::string FormatScore(double score) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%.2f", score);
  return buf;
}

// Three or more of one letter in a row are one ("stoppp", "meee", "pleaseee");
// doubles stay ("too", "free", "all").
bool HasLetterRun(const std::string& token) {
  for (size_t i = 2; i < token.size(); ++i) {
    if (token[i] >= 'A' && token[i] <= 'Z' && token[i] == token[i - 1] &&
        token[i] == token[i - 2]) {
      return true;
    }
  }
  return false;
}

std::string CollapseLetterRuns(const std::string& token) {
  std::string out;
  out.reserve(token.size());
  for (size_t i = 0; i < token.size();) {
    size_t j = i;
    while (j < token.size() && token[j] == token[i]) ++j;
    const bool letter = token[i] >= 'A' && token[i] <= 'Z';
    out.append(letter && j - i >= 3 ? 1 : j - i, token[i]);
    i = j;
  }
  return out;
}

RE2::Options RuleOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  // Phrase forms are ASCII plus other scripts' letters; patterns are ASCII.
  options.set_encoding(RE2::Options::EncodingUTF8);
  return options;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const OptOutPhraseScorer>> OptOutPhraseScorer::Create() {
  std::unique_ptr<OptOutPhraseScorer> scorer(new OptOutPhraseScorer());
  for (const PhraseRuleSpec& spec : OptOutPhraseRules()) {
    auto re = std::make_unique<RE2>(spec.pattern, RuleOptions());
    if (!re->ok()) {
      return absl::InternalError(absl::StrCat("phrase rule ", spec.id, ": ", re->error()));
    }
    std::string error;
    if (scorer->any_rule_.Add(spec.pattern, &error) < 0) {
      return absl::InternalError(absl::StrCat("phrase rule ", spec.id, ": ", error));
    }
    scorer->rules_.push_back({&spec, std::move(re)});
  }
  if (!scorer->any_rule_.Compile()) return absl::InternalError("phrase rule set: out of memory");
  for (const ContextSpec& spec : OptOutContexts()) {
    auto re = std::make_unique<RE2>(spec.pattern, RuleOptions());
    if (!re->ok()) {
      return absl::InternalError(absl::StrCat("context ", spec.id, ": ", re->error()));
    }
    scorer->contexts_.push_back({&spec, std::move(re)});
  }
  return std::unique_ptr<const OptOutPhraseScorer>(std::move(scorer));
}

std::string OptOutPhraseScorer::NegationBefore(const std::vector<std::string>& tokens, size_t start,
                                               bool rhetorical_ok) {
  // A match anchored at a clause marker starts a new clause: nothing before
  // it can negate it ("not interested, remove me").
  if (start < tokens.size() && tokens[start] == kClauseMarker) return "";
  for (size_t back = 1; back <= kNegationWindow && back <= start; ++back) {
    const std::string& token = tokens[start - back];
    if (token == kClauseMarker) return "";
    const bool no_need = token == "NEED" && start - back >= 1 && tokens[start - back - 1] == "NO";
    if (!IsNegator(token) && !no_need) {
      if (IsNegationBridge(token)) continue;
      return "";  // an unrelated word: any negator further back governs something else
    }
    // "why won't you stop texting me" complains; it does not negate.
    for (size_t k = 1; k <= 2 && k <= start - back; ++k) {
      const std::string& before = tokens[start - back - k];
      if (before == "WHY" || before == "Y" || before == "WHYD") return "";
    }
    if (rhetorical_ok && IsRhetoricalNegation(tokens, start - back)) return "";
    return no_need ? "NO NEED" : token;
  }
  return "";
}

bool OptOutPhraseScorer::IsRhetoricalNegation(const std::vector<std::string>& tokens, size_t at) {
  static const auto* const kModal =
      new absl::flat_hash_set<std::string>{"CANT", "WONT", "COULDNT", "WOULDNT", "CANNOT"};
  static const auto* const kYou = new absl::flat_hash_set<std::string>{"YOU", "U", "YALL"};
  if (!kModal->contains(tokens[at])) return false;
  const bool clause_start = at == 0 || tokens[at - 1] == kClauseMarker;
  // "Can't you just stop texting me?" asks for it.
  if (clause_start && at + 1 < tokens.size() && kYou->contains(tokens[at + 1])) return true;
  // "You people won't stop texting me" reports what the sender keeps doing;
  // "my kids won't stop texting me" has another subject, and "I hope you
  // won't stop" wishes the opposite, so YOU must itself start the clause.
  size_t k = at;
  for (int skipped = 0; k > 0 && skipped < 2; ++skipped) {
    const std::string& before = tokens[k - 1];
    if (before != "JUST" && before != "STILL" && before != "GUYS" && before != "PEOPLE" &&
        before != "ALL" && before != "SIMPLY") {
      break;
    }
    --k;
  }
  if (k == 0 || !kYou->contains(tokens[k - 1])) return false;
  return k - 1 == 0 || tokens[k - 2] == kClauseMarker || tokens[k - 2] == "AND" ||
         tokens[k - 2] == "BUT" || tokens[k - 2] == "SO";
}

PhraseVerdict OptOutPhraseScorer::Score(const NormalizedText& original) const {
  PhraseVerdict verdict;
  // Shorthand spelled out once here, so every rule sees "FROM" for "frm",
  // and "STOPPP MEEE" reads STOP ME. Most messages need neither: they are
  // scored as they are, without a copy.
  const auto needs_rewrite = [](const std::string& token) {
    return HasLetterRun(token) || CanonicalSpelling(token) != nullptr;
  };
  NormalizedText rewritten;
  const NormalizedText* scored = &original;
  if (std::any_of(original.tokens.begin(), original.tokens.end(), needs_rewrite)) {
    rewritten.tokens.reserve(original.tokens.size());
    for (const std::string& raw : original.tokens) {
      const std::string token = CollapseLetterRuns(raw);
      const std::string* canonical = CanonicalSpelling(token);
      if (canonical == nullptr) {
        rewritten.tokens.push_back(token);
        continue;
      }
      for (absl::string_view word : absl::StrSplit(*canonical, ' ')) {
        rewritten.tokens.emplace_back(word);
      }
    }
    scored = &rewritten;
  }
  const NormalizedText& text = *scored;
  const std::string phrase = text.PhraseForm();
  std::vector<int> candidates;
  if (phrase.empty() || !any_rule_.Match(phrase, &candidates)) return verdict;
  std::sort(candidates.begin(), candidates.end());

  // Context penalties are properties of the whole message: compute once.
  double penalty_all = 0, penalty_weak = 0;
  std::string context_note;
  for (const Context& context : contexts_) {
    // Laughing or heart-eyed emoji count as the delight words they stand for.
    const bool present = RE2::PartialMatch(phrase, *context.re) ||
                         (context.spec->id == "delight" && original.delight_emoji);
    if (present == context.spec->when_absent) continue;
    (context.spec->weak_only ? penalty_weak : penalty_all) += context.spec->penalty;
    absl::StrAppend(&context_note, context_note.empty() ? "" : ", ", context.spec->id, " -",
                    FormatScore(context.spec->penalty));
  }

  bool have_best = false;
  for (int index : candidates) {
    const Rule& rule = rules_[index];
    re2::StringPiece match;
    size_t pos = 0;
    // Try every occurrence: "don't stop the texts... ok fine, stop the texts"
    // has a negated first match and a clean second one.
    while (pos <= phrase.size() &&
           rule.re->Match(phrase, pos, phrase.size(), RE2::UNANCHORED, &match, 1)) {
      const size_t begin = match.data() - phrase.data();
      const size_t start_token = std::count(phrase.begin(), phrase.begin() + begin, ' ');
      pos = begin + std::max<size_t>(match.size(), 1);

      const std::string matched(match.data(), match.size());
      std::string negator =
          rule.spec->exempt ? "" : NegationBefore(text.tokens, start_token, rule.spec->rhetorical);
      double score = rule.spec->score;
      std::string evidence = absl::StrCat("phrase '", matched, "' (rule ", rule.spec->id, ", base ",
                                          FormatScore(rule.spec->score));
      if (!negator.empty()) {
        score = 0;
        absl::StrAppend(&evidence, ", negated by '", negator, "'");
      } else if (!rule.spec->exempt) {
        const double penalty = penalty_all + (rule.spec->weak ? penalty_weak : 0);
        if (penalty > 0) {
          score = std::max(0.0, score - penalty);
          absl::StrAppend(&evidence, ", context ", context_note);
        } else {
          absl::StrAppend(&evidence, ", no negation");
        }
      }
      absl::StrAppend(&evidence, ") score ", FormatScore(score));
      if (!have_best || score > verdict.score) {
        have_best = true;
        verdict.score = score;
        verdict.rule_id = rule.spec->id;
        verdict.evidence = std::move(evidence);
      }
    }
  }
  verdict.opt_out = verdict.score >= kThreshold;
  absl::StrAppend(&verdict.evidence, verdict.opt_out ? " >= " : " < ", "threshold ",
                  FormatScore(kThreshold));
  return verdict;
}

}  // namespace smsflow::keywords
