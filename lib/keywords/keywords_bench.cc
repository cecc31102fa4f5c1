// keywords_bench: cost of KeywordClassifier::Classify per inbound SMS.
#include <string>

#include "benchmark/benchmark.h"
#include "lib/keywords/keyword_classifier.h"

namespace {

using smsflow::keywords::KeywordClassifier;

const KeywordClassifier& Classifier() {
  static const auto* const kClassifier = new KeywordClassifier(*KeywordClassifier::Create({}));
  return *kClassifier;
}

void BM_Classify(benchmark::State& state, const std::string& text) {
  const KeywordClassifier& classifier = Classifier();
  for (auto _ : state) benchmark::DoNotOptimize(classifier.Classify(text));
  state.SetItemsProcessed(state.iterations());
}

const std::string kOrdinary160 =
    "Hi, this is Dana. I have a cleaning on Thursday at 3:30 but my daughter has a recital, "
    "could we move it to Friday morning? Also, do you take the Delta plan? Thx";

static_assert(
    sizeof("Hi, this is Dana. I have a cleaning on Thursday at 3:30 but my daughter has a recital, "
           "could we move it to Friday morning? Also, do you take the Delta plan? Thx") -
        1 ==
    160);

BENCHMARK_CAPTURE(BM_Classify, exact_keyword, std::string("Stop."));
BENCHMARK_CAPTURE(BM_Classify, plain_language_opt_out,
                  std::string("Please stop texting me, I never signed up for this"));
BENCHMARK_CAPTURE(BM_Classify, ordinary_160_chars, kOrdinary160);
BENCHMARK_CAPTURE(BM_Classify, hard_negative, std::string("don't stop the reminders"));

}  // namespace

BENCHMARK_MAIN();
