#pragma once
// The pure parts of the ConsentService: request validation (errors name the
// field) and the consent decision for one (state, category), built on the
// policy library's ConsentRules. No I/O; thread-safe.

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/config/tenants.h"
#include "smsflow/v1/consent_service.pb.h"

namespace smsflow::consent::ledger {

struct ValidCheck {
  std::string tenant_id;
  std::string sender_scope;
  std::string recipient;  // E.164
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
};

// INVALID_ARGUMENT "field: reason". `tenant_id` is the tenant the check is
// for (the request's, or the batch's).
absl::StatusOr<ValidCheck> ValidateCheck(const v1::CheckConsentRequest& request,
                                         const std::string& tenant_id,
                                         const config::TenantDirectory& tenants);

// The sender scope must be one of the tenant's ("sender_scope: ...").
absl::Status ValidateScope(const config::TenantDirectory& tenants, const std::string& tenant_id,
                           const std::string& scope);
// "recipient: ..." for a number libphonenumber does not take.
absl::StatusOr<std::string> ValidateRecipient(const std::string& recipient);
// Proof rules of GrantConsent (source, capture_time, text, reference).
absl::Status ValidateGrantProof(const v1::ConsentProof& proof, absl::Time now);
// RevokeConsent: capture_time required; source defaults to API.
absl::Status ValidateRevokeProof(const v1::ConsentProof& proof, absl::Time now);

// The decision for `category` given the view state (nullptr: nothing on
// record). basis_event is a summary built from the state (id, action, kind,
// times, source); callers may replace it with the full ledger entry.
// `reason_label` receives the policy reason ("" when allowed) for metrics.
v1::ConsentDecision Decide(v1::Category category, const std::string& recipient,
                           const v1::ConsentState* state, absl::Duration implied_window,
                           absl::Time now, std::string* reason_label = nullptr);

// A rejection for one batch item from a validation status ("field: reason").
v1::Rejection RejectionOf(const absl::Status& status);

}  // namespace smsflow::consent::ledger
