#include "lib/keywords/keyword_classifier.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/keywords/opt_out_phrase_scorer.h"
#include "lib/keywords/text_normalizer.h"

namespace smsflow::keywords {
namespace {

// A message longer than this cannot be a keyword, and an SMS (even a 10-part
// concatenated one) is far shorter; beyond it only the prefix is analysed, so
// a hostile multi-megabyte body costs bounded time.
constexpr size_t kMaxAnalysedBytes = 64 * 1024;

// COMPLIANCE.md: STOP, HELP and START may not be removed by a tenant.
constexpr std::string_view kMandatory[] = {"STOP", "START", "HELP"};

using KeywordMap = absl::flat_hash_map<std::string, KeywordFamily>;

// Rules do not depend on tenant config, so every classifier in the process
// shares one compiled scorer. A failure is a bug in the rule table.
absl::StatusOr<std::shared_ptr<const OptOutPhraseScorer>> SharedScorer() {
  static const auto* const kScorer =
      new absl::StatusOr<std::shared_ptr<const OptOutPhraseScorer>>(OptOutPhraseScorer::Create());
  return *kScorer;
}

absl::Status AddExtras(const char* field, const std::vector<std::string>& words,
                       KeywordFamily family, KeywordMap* keywords) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string word = NormalizeKeyword(words[i]);
    if (word.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, "[", i, "]: '", words[i], "' has no letters or digits"));
    }
    const auto [it, inserted] = keywords->try_emplace(word, family);
    if (!inserted && it->second != family) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", word, " is already an ", std::string(FamilyName(it->second)), " keyword"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

struct KeywordClassifier::State {
  KeywordMap keywords;
  std::shared_ptr<const OptOutPhraseScorer> scorer;  // null when phrases are off
};

std::string_view FamilyName(KeywordFamily family) {
  switch (family) {
    case KeywordFamily::kOptOut:
      return "opt_out";
    case KeywordFamily::kOptIn:
      return "opt_in";
    case KeywordFamily::kHelp:
      return "help";
    case KeywordFamily::kNone:
      break;
  }
  return "none";
}

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kExactKeyword:
      return "exact_keyword";
    case Method::kPhrase:
      return "phrase";
    case Method::kNone:
      break;
  }
  return "none";
}

const KeywordClassifier& DefaultKeywordClassifier() {
  // The defaults always compile; a failure here is a bug in the tables.
  static const auto* const kDefault = new KeywordClassifier(*KeywordClassifier::Create({}));
  return *kDefault;
}

const std::vector<std::string>& DefaultOptOutKeywords() {
  // The eight COMPLIANCE.md words, the two-word forms, then other providers'
  // extras; "OPT-OUT" normalises to "OPT OUT".
  static const auto* const kWords = new std::vector<std::string>{
      "STOP",   "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",    "QUIT", "REVOKE",
      "OPTOUT", "OPT OUT", "STOP ALL",    "ARRET",  "REMOVE", "TD"};
  return *kWords;
}

const std::vector<std::string>& DefaultOptInKeywords() {
  static const auto* const kWords = new std::vector<std::string>{"START", "YES", "UNSTOP"};
  return *kWords;
}

const std::vector<std::string>& DefaultHelpKeywords() {
  static const auto* const kWords = new std::vector<std::string>{"HELP", "INFO"};
  return *kWords;
}

absl::StatusOr<KeywordClassifier> KeywordClassifier::Create(const KeywordConfig& config) {
  auto state = std::make_shared<State>();
  for (const std::string& word : DefaultOptOutKeywords()) {
    state->keywords[word] = KeywordFamily::kOptOut;
  }
  for (const std::string& word : DefaultOptInKeywords()) {
    state->keywords[word] = KeywordFamily::kOptIn;
  }
  for (const std::string& word : DefaultHelpKeywords()) {
    state->keywords[word] = KeywordFamily::kHelp;
  }

  // Removals apply to defaults only, before extras, so a tenant can move a
  // default word to another family by removing and re-adding it.
  for (const std::string& raw : config.removed) {
    const std::string word = NormalizeKeyword(raw);
    for (std::string_view mandatory : kMandatory) {
      if (word == mandatory) {
        return absl::InvalidArgumentError(absl::StrCat(
            "removed: ", word, " cannot be removed (STOP, START and HELP are mandatory)"));
      }
    }
    if (state->keywords.erase(word) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("removed: '", raw, "' is not a default keyword"));
    }
  }

  if (auto s = AddExtras("extra_opt_out", config.extra_opt_out, KeywordFamily::kOptOut,
                         &state->keywords);
      !s.ok()) {
    return s;
  }
  if (auto s =
          AddExtras("extra_opt_in", config.extra_opt_in, KeywordFamily::kOptIn, &state->keywords);
      !s.ok()) {
    return s;
  }
  if (auto s = AddExtras("extra_help", config.extra_help, KeywordFamily::kHelp, &state->keywords);
      !s.ok()) {
    return s;
  }

  if (config.plain_language_opt_out) {
    absl::StatusOr<std::shared_ptr<const OptOutPhraseScorer>> scorer = SharedScorer();
    if (!scorer.ok()) return scorer.status();
    state->scorer = *std::move(scorer);
  }
  return KeywordClassifier(std::move(state));
}

Classification KeywordClassifier::Classify(std::string_view text) const {
  Classification result;
  const bool truncated = text.size() > kMaxAnalysedBytes;
  const NormalizedText normalized = Normalize(text.substr(0, kMaxAnalysedBytes));

  if (!truncated) {
    const std::string form = normalized.KeywordForm();
    if (const auto it = state_->keywords.find(form); it != state_->keywords.end()) {
      result.family = it->second;
      result.method = Method::kExactKeyword;
      result.matched = form;
      result.score = 1.0;
      result.evidence = absl::StrCat("keyword ", form);
      return result;
    }
  }

  if (state_->scorer == nullptr) {
    result.evidence = "no keyword; plain-language opt-out disabled";
    return result;
  }
  PhraseVerdict verdict = state_->scorer->Score(normalized);
  if (verdict.rule_id.empty()) {
    result.evidence = "no keyword or opt-out phrase";
    return result;
  }
  result.family = verdict.opt_out ? KeywordFamily::kOptOut : KeywordFamily::kNone;
  result.method = verdict.opt_out ? Method::kPhrase : Method::kNone;
  result.matched = std::move(verdict.rule_id);
  result.score = verdict.score;
  result.evidence = std::move(verdict.evidence);
  if (truncated) absl::StrAppend(&result.evidence, " (first ", kMaxAnalysedBytes, " bytes)");
  return result;
}

}  // namespace smsflow::keywords
