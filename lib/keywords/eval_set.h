// Loads the labelled evaluation set (data/opt_out_eval.tsv) and measures a
// classifier on one split. Shared by keywords_eval and the unit test
// that holds the classifier to its precision and recall targets.
#ifndef SMSFLOW_LIB_KEYWORDS_EVAL_SET_H_
#define SMSFLOW_LIB_KEYWORDS_EVAL_SET_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/keywords/keyword_classifier.h"

namespace smsflow::keywords {

struct EvalExample {
  int line = 0;  // 1-based line in the file, for error reports
  // "dev", "dev2", "dev3" (rules tuned on them), "test" (reported only, but
  // its first misses were fixed by name), "test3" (held out until the rules
  // were frozen, evaluated once; see the data file).
  std::string split;
  std::string label;  // "opt_out", "opt_in", "help" or "none"
  std::string kind;   // "keyword", "phrase", "hard_negative", "ordinary"
  std::string text;   // verbatim, surrounding spaces included
};

// Reads the TSV (header "split\tlabel\tkind\ttext"; lines starting '#' are
// comments). INVALID_ARGUMENT naming the line for malformed rows.
absl::StatusOr<std::vector<EvalExample>> LoadEvalSet(const std::string& path);

struct EvalMistake {
  EvalExample example;
  Classification got;
};

struct EvalReport {
  std::string split;
  int examples = 0;
  // Opt-out as the positive class.
  int true_positives = 0, false_positives = 0, false_negatives = 0, true_negatives = 0;
  double precision = 0, recall = 0, f1 = 0;
  int family_correct = 0;  // all four families
  std::vector<EvalMistake> mistakes;
};

// split "" evaluates every example.
EvalReport Evaluate(const KeywordClassifier& classifier, const std::vector<EvalExample>& set,
                    std::string_view split);

std::string FormatReport(const EvalReport& report);

}  // namespace smsflow::keywords

#endif  // SMSFLOW_LIB_KEYWORDS_EVAL_SET_H_
