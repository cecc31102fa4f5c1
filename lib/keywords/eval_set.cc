#include "lib/keywords/eval_set.h"

#include <cstdio>
#include <fstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace smsflow::keywords {
namespace {

bool IsLabel(const std::string& label) {
  return label == "opt_out" || label == "opt_in" || label == "help" || label == "none";
}

bool IsSplit(const std::string& split) {
  return split == "dev" || split == "test" || split == "dev2" || split == "dev3" ||
         split == "dev4" || split == "dev5" || split == "dev6" || split == "test6";
}

std::string Ratio(double value) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%.4f", value);
  return buf;
}

}  // namespace

absl::StatusOr<std::vector<EvalExample>> LoadEvalSet(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open eval set ", path));
  std::vector<EvalExample> examples;
  std::string line;
  bool header_seen = false;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      if (line != "split\tlabel\tkind\ttext") {
        return absl::InvalidArgumentError(absl::StrCat(path, ":", number, ": bad header"));
      }
      header_seen = true;
      continue;
    }
    std::vector<std::string> fields = absl::StrSplit(line, absl::MaxSplits('\t', 3));
    if (fields.size() != 4 || !IsSplit(fields[0]) || !IsLabel(fields[1])) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", number, ": malformed row"));
    }
    examples.push_back({number, fields[0], fields[1], fields[2], fields[3]});
  }
  if (examples.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no examples"));
  return examples;
}

EvalReport Evaluate(const KeywordClassifier& classifier, const std::vector<EvalExample>& set,
                    std::string_view split) {
  EvalReport report;
  report.split = split.empty() ? "all" : std::string(split);
  for (const EvalExample& example : set) {
    if (!split.empty() && example.split != split) continue;
    ++report.examples;
    Classification got = classifier.Classify(example.text);
    const bool predicted = got.family == KeywordFamily::kOptOut;
    const bool actual = example.label == "opt_out";
    if (predicted && actual) ++report.true_positives;
    if (predicted && !actual) ++report.false_positives;
    if (!predicted && actual) ++report.false_negatives;
    if (!predicted && !actual) ++report.true_negatives;
    if (FamilyName(got.family) == example.label) {
      ++report.family_correct;
    } else {
      report.mistakes.push_back({example, std::move(got)});
    }
  }
  const int tp = report.true_positives;
  const int predicted = tp + report.false_positives;
  const int actual = tp + report.false_negatives;
  report.precision = predicted == 0 ? 1.0 : static_cast<double>(tp) / predicted;
  report.recall = actual == 0 ? 1.0 : static_cast<double>(tp) / actual;
  const double sum = report.precision + report.recall;
  report.f1 = sum == 0 ? 0 : 2 * report.precision * report.recall / sum;
  return report;
}

std::string FormatReport(const EvalReport& report) {
  std::string out = absl::StrCat(
      "split=", report.split, " examples=", report.examples,
      " opt_out: precision=", Ratio(report.precision), " recall=", Ratio(report.recall),
      " f1=", Ratio(report.f1), " (tp=", report.true_positives, " fp=", report.false_positives,
      " fn=", report.false_negatives, " tn=", report.true_negatives, ")", " family_accuracy=",
      Ratio(static_cast<double>(report.family_correct) / std::max(report.examples, 1)), "\n");
  for (const EvalMistake& m : report.mistakes) {
    absl::StrAppend(&out, "  line ", m.example.line, " expected ", m.example.label, " (",
                    m.example.kind, ") got ", std::string(FamilyName(m.got.family)), ": \"",
                    m.example.text, "\"\n      ", m.got.evidence, "\n");
  }
  return out;
}

}  // namespace smsflow::keywords
