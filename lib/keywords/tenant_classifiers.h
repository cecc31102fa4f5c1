// TenantClassifiers: one KeywordClassifier per tenant, built from the
// `keywords:` block of each tenant in the tenants file (lib/config), so the
// consent service and the router classify a tenant's messages alike: what
// consent records as an opt-out, the router never auto-answers. Immutable
// after FromTenants; safe to share between threads.
#ifndef SMSFLOW_LIB_KEYWORDS_TENANT_CLASSIFIERS_H_
#define SMSFLOW_LIB_KEYWORDS_TENANT_CLASSIFIERS_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lib/config/tenants.h"
#include "lib/keywords/keyword_classifier.h"
#include "smsflow/v1/common.pb.h"

namespace smsflow::keywords {

class TenantClassifiers {
 public:
  // INVALID_ARGUMENT naming the tenants-file path of a bad keyword, e.g.
  // "tenants file: tenants[0].keywords.removed: STOP cannot be removed".
  static absl::StatusOr<std::shared_ptr<const TenantClassifiers>> FromTenants(
      const config::TenantDirectory& tenants);

  // The tenant's classifier; COMPLIANCE.md's defaults for a tenant the file
  // does not name (its messages are classified all the same).
  const KeywordClassifier& For(std::string_view tenant_id) const;

 private:
  explicit TenantClassifiers(KeywordClassifier defaults) : defaults_(std::move(defaults)) {}

  KeywordClassifier defaults_;
  std::map<std::string, KeywordClassifier, std::less<>> by_tenant_;
};

// The tenant's keyword settings as the classifier takes them.
KeywordConfig ToKeywordConfig(const config::TenantKeywords& keywords);

// The wire enum of a family (KEYWORD_FAMILY_UNSPECIFIED for kNone).
v1::KeywordFamily ToProto(KeywordFamily family);

}  // namespace smsflow::keywords

#endif  // SMSFLOW_LIB_KEYWORDS_TENANT_CLASSIFIERS_H_
