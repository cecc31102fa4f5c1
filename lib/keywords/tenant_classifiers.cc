#include "lib/keywords/tenant_classifiers.h"

#include "absl/strings/str_cat.h"

namespace smsflow::keywords {

KeywordConfig ToKeywordConfig(const config::TenantKeywords& keywords) {
  KeywordConfig c;
  c.extra_opt_out = keywords.opt_out;
  c.extra_opt_in = keywords.opt_in;
  c.extra_help = keywords.help;
  c.removed = keywords.removed;
  c.plain_language_opt_out = keywords.plain_language_opt_out;
  return c;
}

absl::StatusOr<std::shared_ptr<const TenantClassifiers>> TenantClassifiers::FromTenants(
    const config::TenantDirectory& tenants) {
  auto defaults = KeywordClassifier::Create({});
  if (!defaults.ok()) return defaults.status();
  std::shared_ptr<TenantClassifiers> set(new TenantClassifiers(*std::move(defaults)));
  const std::vector<config::Tenant>& list = tenants.tenants();
  for (size_t i = 0; i < list.size(); ++i) {
    auto classifier = KeywordClassifier::Create(ToKeywordConfig(list[i].keywords));
    if (!classifier.ok()) {
      // The classifier names the field and word ("removed: STOP cannot be removed").
      return absl::InvalidArgumentError(
          absl::StrCat("tenants file: tenants[", i, "].keywords.", classifier.status().message()));
    }
    set->by_tenant_.emplace(list[i].id, *std::move(classifier));
  }
  return std::shared_ptr<const TenantClassifiers>(std::move(set));
}

const KeywordClassifier& TenantClassifiers::For(std::string_view tenant_id) const {
  auto it = by_tenant_.find(tenant_id);
  return it == by_tenant_.end() ? defaults_ : it->second;
}

v1::KeywordFamily ToProto(KeywordFamily family) {
  switch (family) {
    case KeywordFamily::kOptOut:
      return v1::KEYWORD_FAMILY_OPT_OUT;
    case KeywordFamily::kOptIn:
      return v1::KEYWORD_FAMILY_OPT_IN;
    case KeywordFamily::kHelp:
      return v1::KEYWORD_FAMILY_HELP;
    case KeywordFamily::kNone:
      break;
  }
  return v1::KEYWORD_FAMILY_UNSPECIFIED;
}

}  // namespace smsflow::keywords
