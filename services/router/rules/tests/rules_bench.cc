// Throughput of rule matching and intent prediction (issue 5 "Performance").
//   router_rules_bench [--benchmark_filter=...]
// items_per_second is messages per second on one thread.
#include <benchmark/benchmark.h>

#include <fstream>
#include <random>

#include "absl/strings/str_cat.h"
#include "services/router/rules/intent_model.h"
#include "services/router/rules/rule_set.h"

namespace smsflow::router {
namespace {

constexpr const char* kStems[] = {"sale", "join",  "deal", "vip",   "promo", "club", "win",
                                  "menu", "order", "book", "pizza", "taco",  "spa",  "gym",
                                  "vet",  "car",   "wash", "dent",  "hair",  "shoe"};
constexpr const char* kRegexShapes[] = {
    "\\b{w}\\s*#?\\s*\\d{{4,}}",
    "^(?:hi|hey|hello)\\s+{w}\\b",
    "\\b{w}s?\\s+in\\s+stock\\b",
    "\\b(?:refund|return)\\b.*\\b{w}",
    "\\b{w}\\b.*\\b(?:today|tomorrow|tonight)\\b",
    "\\b{w}-\\d+\\b",
};

std::string Shape(std::string shape, const std::string& word) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape.compare(i, 3, "{w}") == 0) {
      out += word;
      i += 2;
    } else if (shape.compare(i, 2, "{{") == 0 || shape.compare(i, 2, "}}") == 0) {
      out += shape[i++];
    } else {
      out += shape[i];
    }
  }
  return out;
}

std::shared_ptr<const CompiledRules> BuildRules(int keywords, int regexes) {
  std::vector<v1::RoutingRule> rules;
  for (int i = 0; i < keywords; ++i) {
    v1::RoutingRule r;
    r.set_rule_id(absl::StrCat("kw-", i));
    r.set_priority(i % 7);
    r.mutable_keyword()->add_keywords(absl::StrCat(kStems[i % 20], i / 20));
    r.mutable_keyword()->add_keywords(absl::StrCat(kStems[i % 20], "-", i / 20));
    r.mutable_keyword()->set_position(i % 2 ? v1::KEYWORD_POSITION_FIRST_WORD
                                            : v1::KEYWORD_POSITION_WHOLE_MESSAGE);
    if (i % 10 == 0) r.set_destination_number("+14155550100");
    r.mutable_action()->set_destination(absl::StrCat("queue-", i % 50));
    rules.push_back(std::move(r));
  }
  for (int i = 0; i < regexes; ++i) {
    v1::RoutingRule r;
    r.set_rule_id(absl::StrCat("re-", i));
    r.set_priority(10 + i % 5);
    const std::string word = absl::StrCat(kStems[i % 20], i / 20 == 0 ? "" : "x", i / 20);
    r.mutable_regex()->set_pattern(Shape(kRegexShapes[i % 6], word));
    r.mutable_action()->set_destination("regex-queue");
    rules.push_back(std::move(r));
  }
  v1::RoutingRule all;
  all.set_rule_id("catch-all");
  all.set_priority(1000);
  all.mutable_catch_all();
  all.mutable_action()->set_destination("inbox");
  rules.push_back(all);
  auto compiled = CompiledRules::Compile(rules, {});
  if (!compiled.ok()) {
    std::fprintf(stderr, "%s\n", std::string(compiled.status().message()).c_str());
    std::abort();
  }
  return *compiled;
}

// Held-out corpus texts (real-looking customer messages) with every fifth
// replaced by a keyword message so both paths are exercised.
const std::vector<std::string>& Texts() {
  static const auto* const texts = [] {
    auto* out = new std::vector<std::string>();
    std::ifstream in(SMSFLOW_INTENT_TEST_SET);
    std::string line;
    while (std::getline(in, line)) {
      const size_t space = line.find(' ');
      if (space != std::string::npos) out->push_back(line.substr(space + 1));
    }
    std::mt19937 rng(7);
    for (size_t i = 0; i < out->size(); i += 5) {
      const int k = static_cast<int>(rng() % 1000);
      (*out)[i] = k % 2 ? absl::StrCat(kStems[k % 20], k / 20, " please")
                        : absl::StrCat(kStems[k % 20], k / 20, "!");
    }
    return out;
  }();
  return *texts;
}

void BM_MatchRules(benchmark::State& state) {
  const auto rules = BuildRules(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const auto& texts = Texts();
  MatchInput in;
  in.destination_number = "+14155550100";
  in.time = absl::Now();
  size_t i = 0;
  int64_t defaults = 0;
  for (auto _ : state) {
    in.text = texts[i++ % texts.size()];
    const MatchResult r = rules->Match(in);
    defaults += r.rule_id == "catch-all";
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["catch_all_share"] =
      static_cast<double>(defaults) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_MatchRules)->Args({1000, 100})->Args({10, 10})->Args({10000, 100});

void BM_IntentPredict(benchmark::State& state) {
  auto model = IntentModel::Load(SMSFLOW_INTENT_MODEL);
  if (!model.ok()) {
    state.SkipWithError(std::string(model.status().message()).c_str());
    return;
  }
  const auto& texts = Texts();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize((*model)->Predict(texts[i++ % texts.size()]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IntentPredict);

}  // namespace
}  // namespace smsflow::router

BENCHMARK_MAIN();
