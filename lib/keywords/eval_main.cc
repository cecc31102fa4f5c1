// keywords_eval: prints opt-out precision, recall and F1 of the default
// classifier on every split of the labelled set, and every
// misclassified message. Usage: keywords_eval [path/to/opt_out_eval.tsv]
#include <cstdio>
#include <string>

#include "lib/keywords/eval_set.h"
#include "lib/keywords/keyword_classifier.h"

namespace kw = smsflow::keywords;

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : SMSFLOW_KEYWORDS_EVAL_TSV;
  absl::StatusOr<std::vector<kw::EvalExample>> set = kw::LoadEvalSet(path);
  if (!set.ok()) {
    std::fprintf(stderr, "%s\n", std::string(set.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<kw::KeywordClassifier> classifier = kw::KeywordClassifier::Create({});
  if (!classifier.ok()) {
    std::fprintf(stderr, "%s\n", std::string(classifier.status().message()).c_str());
    return 2;
  }
  for (const char* split : {"dev", "test", "dev2", "dev3", "dev4", "dev5", "dev6", "test6"}) {
    std::fputs(kw::FormatReport(kw::Evaluate(*classifier, *set, split)).c_str(), stdout);
  }
  return 0;
}
