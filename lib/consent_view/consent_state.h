#pragma once
// Folding the consent ledger into current state: pure functions, no I/O.
// The ledger (sms.consent.v1) is append-only; the state of one (tenant,
// sender scope, recipient) is the fold of its events in topic order.
//
//   GRANT kind      adds (or refreshes) a grant of that kind
//   REVOKE kind     removes grants of that kind (UNSPECIFIED: all grants)
//   OPT_OUT         sets opted_out; grants are KEPT so that START restores
//                   exactly what the ledger had before (COMPLIANCE.md)
//   OPT_IN          clears opted_out
//   HELP            changes nothing (it is recorded for the audit trail)

#include <string>

#include "absl/time/time.h"
#include "smsflow/v1/consent.pb.h"

namespace smsflow::consentview {

struct ConsentKey {
  std::string tenant_id;
  std::string sender_scope;
  std::string recipient;  // E.164
  bool operator==(const ConsentKey&) const = default;
};

ConsentKey KeyOf(const v1::ConsentEvent& event);
// Kafka key of consent events: "tenant|recipient", so every scope of one
// recipient stays in order on one partition.
std::string RecordKeyOf(const v1::ConsentEvent& event);

// Applies `event` to `state` (which must be for the same key, or empty).
void ApplyEvent(const v1::ConsentEvent& event, v1::ConsentState* state);

// The grant of `kind` in force at `now` (not expired), or nullptr.
const v1::ConsentGrant* FindGrant(const v1::ConsentState& state, v1::ConsentKind kind,
                                  absl::Time now);

}  // namespace smsflow::consentview
