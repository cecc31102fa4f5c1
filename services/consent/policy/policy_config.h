#pragma once
// PolicyConfig: the consent policy's rules as one typed struct, loadable from
// the `policy` YAML file (or section) so tenants and operators can change them
// without code. Missing keys keep Defaults(); unknown keys, bad windows and
// bad categories fail with the key's path in the message. Example:
//
//   area_code_table: /etc/smsflow/us_area_code_time_zones.tsv
//   quiet_hours:
//     default: "08:00-21:00"
//     regions: {US-FL: "08:00-20:00", US-OK: "08:00-20:00"}  # replaces the defaults
//     exempt_categories: [otp, transactional, compliance]
//     search_horizon_hours: 48
//   consent:
//     implied_window_hours: 24
//     otp_request_window_minutes: 10
//   zones:
//     check_all_zones_of_split_area_codes: true

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/consent/policy/consent_rules.h"
#include "services/consent/policy/quiet_hours_config.h"
#include "services/consent/policy/recipient_zone.h"

namespace smsflow::consent::policy {

struct PolicyConfig {
  std::string area_code_table;  // path of the TSV; empty: the caller's default
  QuietHoursConfig quiet_hours = QuietHoursConfig::Defaults();
  ConsentRulesConfig consent;
  ResolveOptions zones;
};

absl::StatusOr<PolicyConfig> ParsePolicyYaml(absl::string_view yaml_text);
absl::StatusOr<PolicyConfig> LoadPolicyYamlFile(const std::string& path);

}  // namespace smsflow::consent::policy
