#pragma once
// Per-tenant consent configuration (the --consent-config YAML):
//
//   tenants:
//     acme:                               # a tenant id from the tenants file
//       replies:                          # {brand} {description} {frequency} {support}
//         opt_out: "..."                  # are replaced by the tenant's brand
//         opt_in: "..."
//         help: "..."
//       help_when_opted_out: true         # never on toll-free numbers (COMPLIANCE.md)
//       implied_consent_window: 24h       # absl duration syntax
//       confirmation_window: 5m           # repeated keyword within it: no second reply
//
// Keywords are not here: they are in the tenants file (tenants[].keywords,
// lib/config/tenants.h), shared with the router through lib/keywords'
// TenantClassifiers. A tenant absent from this file (or no file at all) gets
// the defaults, with reply texts built from its brand in the tenants file.
// Every key is checked;
// errors are INVALID_ARGUMENT naming the path ("tenants.acme.replies.help:
// must contain 'STOP'"). Immutable after loading; safe to share.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/config/tenants.h"
#include "lib/keywords/keyword_classifier.h"
#include "lib/keywords/tenant_classifiers.h"

namespace smsflow::consent::ledger {

struct ReplyTexts {
  std::string opt_out;
  std::string opt_in;
  std::string help;
};

struct TenantConsentConfig {
  ReplyTexts replies;  // final texts, placeholders already replaced
  bool help_when_opted_out = true;
  absl::Duration implied_consent_window = absl::Hours(24);
  // COMPLIANCE.md wants the single confirmation within 5 minutes; a STOP
  // repeated within as long is the same request, not a new one to confirm.
  absl::Duration confirmation_window = absl::Minutes(5);
};

// The defaults of COMPLIANCE.md, texts from `brand`.
ReplyTexts DefaultReplyTexts(const config::Brand& brand);
// Replaces {brand}, {description}, {frequency} and {support}.
std::string ExpandReplyText(std::string_view text, const config::Brand& brand);

// One resolved config and classifier per tenant of the directory.
class ConsentConfigSet {
 public:
  struct Entry {
    TenantConsentConfig config;
    keywords::KeywordClassifier classifier;  // the tenants file's keywords
  };

  // `yaml` may be empty: every tenant gets the defaults. `default_implied_window`
  // is the window of tenants that set none (main.cpp passes the policy file's
  // consent.implied_window_hours so the two agree).
  static absl::StatusOr<std::shared_ptr<const ConsentConfigSet>> FromYaml(
      std::string_view yaml, const config::TenantDirectory& tenants,
      absl::Duration default_implied_window = absl::Hours(24));
  // Empty path: defaults for every tenant.
  static absl::StatusOr<std::shared_ptr<const ConsentConfigSet>> FromFile(
      const std::string& path, const config::TenantDirectory& tenants,
      absl::Duration default_implied_window = absl::Hours(24));

  // nullptr for a tenant not in the directory the set was built from.
  const Entry* Find(std::string_view tenant_id) const;

 private:
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace smsflow::consent::ledger
