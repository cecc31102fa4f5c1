#pragma once
// The intent model: a fastText supervised classifier trained at build time
// from data/intents/train.txt (see CMakeLists.txt). Texts are normalised with
// NormalizeForModel, exactly as the corpus was before training.
//
// Thread-safety: Predict is const and safe to call from many threads at once
// on one model. In fastText 0.9.2 FastText::predictLine is const and keeps
// its per-call state (word ids, hidden/output vectors in a Model::State) on
// the caller's stack; nothing in the loaded model is written after loading.
// Lifetime: immutable after Load; share via shared_ptr to swap models.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace fasttext {
class FastText;
}

namespace smsflow::router {

struct IntentScore {
  std::string intent;  // label without fastText's "__label__" prefix
  float confidence = 0;
};

class IntentModel {
 public:
  // NOT_FOUND when `path` cannot be opened, INVALID_ARGUMENT when it is not a
  // fastText supervised model (corrupt, truncated or a word-vector model).
  // `version` is reported in Classification.model_version; when empty, the
  // file name and size are used.
  static absl::StatusOr<std::shared_ptr<const IntentModel>> Load(const std::string& path,
                                                                 std::string version = "");

  ~IntentModel();

  // Top intent and its probability. An empty or blank text is "other" with
  // confidence 0 (fastText would answer from the end-of-line token alone).
  IntentScore Predict(std::string_view text) const;
  // Up to `k` intents, best first.
  std::vector<IntentScore> PredictTop(std::string_view text, int k) const;

  // Every label the model knows (for validating intent rules).
  const std::vector<std::string>& labels() const { return labels_; }
  const std::string& version() const { return version_; }

 private:
  IntentModel();
  std::unique_ptr<fasttext::FastText> model_;
  std::vector<std::string> labels_;
  std::string version_;
};

}  // namespace smsflow::router
