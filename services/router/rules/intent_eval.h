#pragma once
// Scores an IntentModel on a labelled fastText-format file: accuracy and
// per-label precision/recall/F1, macro-averaged over the labels present in
// the file. Used by the held-out test and handy for comparing models.

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "services/router/rules/intent_model.h"

namespace smsflow::router {

struct LabelScore {
  int support = 0;  // examples whose true label is this one
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct IntentEvaluation {
  int examples = 0;
  double accuracy = 0;
  double macro_f1 = 0;
  std::map<std::string, LabelScore> labels;
};

// Lines are "__label__<intent> <raw text>" (the committed corpus, not the
// normalised build copy); INVALID_ARGUMENT names the first malformed line.
absl::StatusOr<IntentEvaluation> EvaluateIntentModel(const IntentModel& model,
                                                     const std::string& labelled_file);

}  // namespace smsflow::router
