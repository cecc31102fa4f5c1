#pragma once
// Per-tenant settings that rule validation and matching depend on. Plain
// value type.

#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/time/time.h"
#include "lib/keywords/keyword_classifier.h"
#include "lib/keywords/tenant_classifiers.h"
#include "services/router/rules/compliance.h"
#include "services/router/rules/template.h"

namespace smsflow::router {

// The intents of the shipped model (services/router/rules/data/intents).
inline absl::flat_hash_set<std::string> DefaultIntents() {
  return {"opt_out",
          "opt_in",
          "help",
          "store_hours",
          "order_status",
          "appointment_confirm",
          "appointment_reschedule",
          "billing_balance",
          "product_availability",
          "support_request",
          "feedback",
          "greeting",
          "other"};
}

struct RuleOptions {
  // When set, a rule whose tenant_id is set and differs is rejected.
  std::string tenant_id;
  // Tenant time zone for windows that name none.
  absl::TimeZone time_zone = absl::UTCTimeZone();
  // Where a message goes when no rule matches (MATCH_KIND_DEFAULT).
  std::string default_destination = "default";
  // Where a compliance message goes when no keyword/phrase/regex/intent rule
  // claims it; catch-all rules never claim compliance messages.
  std::string compliance_destination = "compliance";
  // Labels an intent rule may name: those of the loaded model.
  absl::flat_hash_set<std::string> known_intents = DefaultIntents();
  // Used for intent rules whose min_confidence is 0 (proto: "the router's
  // configured default threshold").
  float default_min_confidence = 0.5f;
  // A message is a plain-language compliance message when the model's top
  // intent is opt_out/opt_in/help with at least this confidence. Higher than
  // the routing default because a false positive silences auto-replies.
  float compliance_min_confidence = 0.7f;
  // Template values from the tenant configuration (lowest precedence).
  VariableMap tenant_variables;
  // Names the router fills per message (e.g. from the contact record);
  // templates may use them although no configuration defines them.
  absl::flat_hash_set<std::string> message_variables;
  // Decides compliance keywords and plain-language opt-outs: the tenant's
  // classifier (DefaultTenantOptions takes it from `tenant_keywords`), else
  // COMPLIANCE.md's defaults.
  keywords::KeywordClassifier compliance = keywords::DefaultKeywordClassifier();
  // Every tenant's classifier, built from the tenants file at start (main.cpp);
  // null in tests that need only the defaults.
  std::shared_ptr<const keywords::TenantClassifiers> tenant_keywords;
};

}  // namespace smsflow::router
