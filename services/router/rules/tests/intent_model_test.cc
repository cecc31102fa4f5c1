#include "services/router/rules/intent_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "services/router/rules/intent_eval.h"
#include "services/router/rules/rule_options.h"

namespace smsflow::router {
namespace {

std::shared_ptr<const IntentModel> LoadModel() {
  static const auto* const model = [] {
    auto m = IntentModel::Load(SMSFLOW_INTENT_MODEL);
    EXPECT_TRUE(m.ok()) << m.status();
    return new std::shared_ptr<const IntentModel>(m.ok() ? *m : nullptr);
  }();
  return *model;
}

TEST(IntentModel, HeldOutAccuracyAndMacroF1StayAboveTheMeasuredFloor) {
  auto model = LoadModel();
  ASSERT_NE(model, nullptr);
  auto eval = EvaluateIntentModel(*model, SMSFLOW_INTENT_TEST_SET);
  ASSERT_TRUE(eval.ok()) << eval.status();
  for (const auto& [label, s] : eval->labels) {
    std::cout << label << ": P=" << s.precision << " R=" << s.recall << " F1=" << s.f1
              << " n=" << s.support << "\n";
  }
  std::cout << "accuracy=" << eval->accuracy << " macro_f1=" << eval->macro_f1
            << " examples=" << eval->examples << "\n";
  // Measured on the committed corpus (1,300 held-out texts written from
  // templates the model never saw; training is deterministic, -thread 1):
  // accuracy 0.911, macro-F1 0.911; weakest F1 opt_out 0.83, store_hours 0.84,
  // help 0.85. The floors leave ~5 points for corpus edits, not for regressions.
  EXPECT_GE(eval->accuracy, 0.86);
  EXPECT_GE(eval->macro_f1, 0.86);
  EXPECT_EQ(eval->labels.size(), DefaultIntents().size());
}

TEST(IntentModel, KnowsTheDefaultIntents) {
  auto model = LoadModel();
  ASSERT_NE(model, nullptr);
  for (const std::string& intent : DefaultIntents()) {
    EXPECT_NE(std::find(model->labels().begin(), model->labels().end(), intent),
              model->labels().end())
        << intent;
  }
  EXPECT_FALSE(model->version().empty());
}

TEST(IntentModel, PredictsObviousTexts) {
  auto model = LoadModel();
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->Predict("please stop texting me").intent, "opt_out");
  EXPECT_EQ(model->Predict("What time do you open on Saturday?").intent, "store_hours");
  EXPECT_EQ(model->Predict("where is my order #48213").intent, "order_status");
  const IntentScore blank = model->Predict("   ");
  EXPECT_EQ(blank.intent, "other");
  EXPECT_EQ(blank.confidence, 0.0f);
  const auto top = model->PredictTop("hours?", 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_GE(top[0].confidence, top[1].confidence);
  EXPECT_GT(top[0].confidence, 0.0f);
  EXPECT_LE(top[0].confidence, 1.0f);
}

TEST(IntentModel, ConcurrentPredictionsAgreeWithSerialOnes) {
  auto model = LoadModel();
  ASSERT_NE(model, nullptr);
  const std::vector<std::string> texts = {"hours?", "STOP", "my wifi is broken",
                                          "do you have oat milk", "reschedule pls"};
  std::vector<IntentScore> expected;
  for (const auto& t : texts) expected.push_back(model->Predict(t));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        const size_t k = static_cast<size_t>(i) % texts.size();
        const IntentScore got = model->Predict(texts[k]);
        if (got.intent != expected[k].intent || got.confidence != expected[k].confidence) {
          ++mismatches;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(IntentModel, LoadErrors) {
  EXPECT_EQ(IntentModel::Load("/nonexistent/model.bin").status().code(),
            absl::StatusCode::kNotFound);
  const std::string corrupt = ::testing::TempDir() + "/corrupt_model.bin";
  std::ofstream(corrupt) << "this is not a model";
  auto bad = IntentModel::Load(corrupt);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad.status().message()).find("not a fastText model"), std::string::npos);
}

}  // namespace
}  // namespace smsflow::router
