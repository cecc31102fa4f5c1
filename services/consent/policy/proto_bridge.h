#pragma once
// The consent rules applied to wire records: the one translation from the
// v1 protos (ledger state, categories, kinds) to the policy's own types, so
// the gate's decision and the API's CheckConsent can never disagree about
// the same state. Pure functions; thread-safe.

#include <optional>

#include "absl/time/time.h"
#include "services/consent/policy/categories.h"
#include "services/consent/policy/consent_rules.h"
#include "smsflow/v1/common.pb.h"
#include "smsflow/v1/consent.pb.h"

namespace smsflow::consent::policy {

std::optional<Category> CategoryFromProto(v1::Category category);
std::optional<ConsentKind> KindFromProto(v1::ConsentKind kind);

// The ledger state as the rules see it at `now`: grants past their
// expire_time are gone; kinds the rules do not know are left out.
ConsentState StateFromProto(const v1::ConsentState& state, absl::Time now);

// The grant an allowed decision rests on: among live grants sufficient for
// `category`, the strongest kind (express written > express > otp request >
// implied), then the latest. nullptr when none (e.g. compliance, otp without
// a ledger request).
const v1::ConsentGrant* BasisGrant(const ConsentRules& rules, Category category,
                                   const v1::ConsentState& state, absl::Time now);

}  // namespace smsflow::consent::policy
