#include "services/router/rules/intent_model.h"

#include <fasttext/fasttext.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/router/rules/normalize.h"

namespace smsflow::router {
namespace {

constexpr std::string_view kLabelPrefix = "__label__";

std::string StripLabel(const std::string& label) {
  return label.rfind(kLabelPrefix, 0) == 0 ? label.substr(kLabelPrefix.size()) : label;
}

}  // namespace

IntentModel::IntentModel() : model_(std::make_unique<fasttext::FastText>()) {}
IntentModel::~IntentModel() = default;

absl::StatusOr<std::shared_ptr<const IntentModel>> IntentModel::Load(const std::string& path,
                                                                     std::string version) {
  std::ifstream probe(path, std::ios::binary);
  if (!probe) return absl::NotFoundError(absl::StrCat("intent model ", path, ": cannot open"));
  probe.close();
  std::shared_ptr<IntentModel> m(new IntentModel());
  try {
    // fastText reports every load failure (bad magic, truncation) by throwing.
    m->model_->loadModel(path);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("intent model ", path, ": not a fastText model (", e.what(), ")"));
  }
  const std::shared_ptr<const fasttext::Dictionary> dict = m->model_->getDictionary();
  if (dict->nlabels() == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("intent model ", path, ": has no labels (not a supervised model)"));
  }
  for (int32_t i = 0; i < dict->nlabels(); ++i) m->labels_.push_back(StripLabel(dict->getLabel(i)));
  if (version.empty()) {
    std::error_code ec;
    version = absl::StrCat(std::filesystem::path(path).filename().string(), "@",
                           std::filesystem::file_size(path, ec));
  }
  m->version_ = std::move(version);
  return std::shared_ptr<const IntentModel>(std::move(m));
}

std::vector<IntentScore> IntentModel::PredictTop(std::string_view text, int k) const {
  const std::string normalized = NormalizeForModel(text);
  if (normalized.empty()) return {{"other", 0.0f}};
  // predictLine reads one line; the trailing newline yields the same
  // end-of-sentence token the training lines had.
  std::istringstream in(normalized + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  model_->predictLine(in, predictions, k, 0.0f);
  std::vector<IntentScore> out;
  out.reserve(predictions.size());
  for (auto& [prob, label] : predictions) {
    out.push_back({StripLabel(label), std::min(1.0f, static_cast<float>(prob))});
  }
  if (out.empty()) out.push_back({"other", 0.0f});
  return out;
}

IntentScore IntentModel::Predict(std::string_view text) const {
  return std::move(PredictTop(text, 1).front());
}

}  // namespace smsflow::router
