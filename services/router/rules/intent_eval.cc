#include "services/router/rules/intent_eval.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace smsflow::router {

absl::StatusOr<IntentEvaluation> EvaluateIntentModel(const IntentModel& model,
                                                     const std::string& labelled_file) {
  std::ifstream in(labelled_file);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", labelled_file));
  struct Counts {
    int tp = 0, fp = 0, fn = 0;
  };
  std::map<std::string, Counts> counts;
  IntentEvaluation eval;
  int correct = 0;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    if (line.rfind("__label__", 0) != 0 || space == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(labelled_file, ":", line_no, ": expected \"__label__<intent> <text>\""));
    }
    const std::string truth = line.substr(9, space - 9);
    const std::string predicted = model.Predict(std::string_view(line).substr(space + 1)).intent;
    ++eval.examples;
    ++eval.labels[truth].support;
    if (predicted == truth) {
      ++correct;
      ++counts[truth].tp;
    } else {
      ++counts[truth].fn;
      ++counts[predicted].fp;
    }
  }
  if (eval.examples == 0) return absl::InvalidArgumentError(labelled_file + " has no examples");
  eval.accuracy = static_cast<double>(correct) / eval.examples;
  double f1_sum = 0;
  for (auto& [label, score] : eval.labels) {
    const Counts& c = counts[label];
    score.precision = c.tp + c.fp > 0 ? static_cast<double>(c.tp) / (c.tp + c.fp) : 0;
    score.recall = c.tp + c.fn > 0 ? static_cast<double>(c.tp) / (c.tp + c.fn) : 0;
    const double denom = score.precision + score.recall;
    score.f1 = denom > 0 ? 2 * score.precision * score.recall / denom : 0;
    f1_sum += score.f1;
  }
  eval.macro_f1 = f1_sum / static_cast<double>(eval.labels.size());
  return eval;
}

}  // namespace smsflow::router
