#pragma once
// GateConfig: the gate's own rules, and the loader of the policy file that
// holds them beside the consent policy (policy_config.h). One YAML file:
//
//   area_code_table: ...            # \
//   quiet_hours: {...}              #  } consent policy (policy_config.h)
//   consent: {...}                  #  |
//   zones: {...}                    # /
//   gate:
//     otp_requires_ledger_request: false
//     default_validity_hours: 72
//     frequency_caps:               # replaces the defaults when present
//       - name: fl_ok_marketing
//         regions: [US-FL, US-OK]
//         categories: [marketing]
//         limit: 3
//         window_hours: 24
//         per_subject: true
//
// Unknown keys and bad values fail with the key's path (STYLE.md 5).
//
// otp_requires_ledger_request: a one-time code is usually asked for through
// the business's own app or web site, which never writes to our ledger, so by
// default an OTP request is its own evidence that the user asked (the
// requester vouches for it) and only an opt-out blocks it. Set it to true to
// demand a recent otp_request grant in the ledger (policy ConsentRules).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/consent/gate/frequency_caps.h"
#include "services/consent/policy/policy_config.h"

namespace smsflow::consent::gate {

struct GateConfig {
  bool otp_requires_ledger_request = false;
  // Validity of a request that arrives without expire_time (the requester
  // should always set it): counted from its request_time.
  absl::Duration default_validity = absl::Hours(72);
  std::vector<CapRule> frequency_caps = DefaultCaps();

  // COMPLIANCE.md: FL and OK, 3 marketing messages per 24 h per recipient
  // on the same subject.
  static std::vector<CapRule> DefaultCaps();
};

struct GatePolicyFile {
  policy::PolicyConfig policy;
  GateConfig gate;
};

absl::StatusOr<GatePolicyFile> ParseGatePolicyYaml(absl::string_view yaml_text);
// NOT_FOUND for a missing file; errors are prefixed with the path.
absl::StatusOr<GatePolicyFile> LoadGatePolicyFile(const std::string& path);

}  // namespace smsflow::consent::gate
