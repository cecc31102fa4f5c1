// Build-time tool: rewrites a fastText corpus ("__label__x text" per line)
// with each text passed through NormalizeForModel, so the model is trained on
// exactly what IntentModel::Predict feeds it.
//   smsflow_intent_corpus_prep <in> <out>
#include <fstream>
#include <iostream>
#include <string>

#include "services/router/rules/normalize.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " <corpus.txt> <normalized.txt>\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::ofstream out(argv[2]);
  if (!in || !out) {
    std::cerr << "cannot open " << (in ? argv[2] : argv[1]) << "\n";
    return 1;
  }
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    if (line.rfind("__label__", 0) != 0 || space == std::string::npos) {
      std::cerr << argv[1] << ":" << line_no << ": expected \"__label__<intent> <text>\"\n";
      return 1;
    }
    out << line.substr(0, space) << ' '
        << smsflow::router::NormalizeForModel(std::string_view(line).substr(space + 1)) << '\n';
  }
  return out.good() ? 0 : 1;
}
