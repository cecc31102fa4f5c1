#pragma once
// GateDecider: the pure decision for one outbound request, given the
// recipient's consent state and the time. No Redis, Kafka or clock: the
// pipeline reads state in batches, calls Decide() per message, and then
// applies the two decisions that need shared counters (one compliance reply
// per consent event, frequency caps) through Redis.
//
// Order of the checks, first failure wins:
//   1. the request itself: category set, recipient parses (invalid_number),
//      compliance only from the consent service and tied to a consent event;
//   2. validity: expire_time <= now -> validity_expired;
//   3. consent (policy ConsentRules, see consent_rules.h): opted out ->
//      recipient_opted_out; not enough consent -> no_consent. Compliance
//      needs none. OTP: see GateConfig::otp_requires_ledger_request;
//   4. schedule: send_time in the future -> defer until then (SCHEDULED), or
//      validity_expired when send_time is not before expire_time;
//   5. quiet hours in the recipient's local time -> defer to the next allowed
//      moment (SCHEDULED, quiet_hours), or quiet_hours when that is not
//      before expire_time;
//   6. approve, naming the frequency-cap counters the approval must fit.
// Immutable after Create(); thread-safe.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/sms/phone.h"
#include "services/consent/gate/frequency_caps.h"
#include "services/consent/gate/gate_config.h"
#include "services/consent/policy/area_code_table.h"
#include "services/consent/policy/consent_rules.h"
#include "services/consent/policy/country_zones.h"
#include "services/consent/policy/quiet_hours.h"
#include "smsflow/v1/consent.pb.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate {

enum class Verdict { kApprove, kReject, kDefer };

struct Decision {
  Verdict verdict = Verdict::kReject;
  v1::ReasonCode reason = v1::REASON_CODE_UNSPECIFIED;
  std::string description;  // evidence: the rule, grant or opt-out relied on; no phone numbers
  policy::Category category = policy::Category::kMarketing;
  std::string to;  // normalised E.164 (empty when the number did not parse)

  // kDefer
  absl::Time release_time = absl::InfiniteFuture();
  bool quiet_hours = false;  // deferred by quiet hours (not by send_time)

  // kApprove
  v1::Lane lane = v1::LANE_UNSPECIFIED;
  v1::ConsentKind consent_kind = v1::CONSENT_KIND_UNSPECIFIED;
  std::string consent_event_id;
  std::string time_zone;                           // empty when quiet hours do not apply
  absl::Time window_end = absl::InfiniteFuture();  // when quiet hours apply
  std::vector<CapCheck> caps;                      // counters the approval must fit into
  bool needs_compliance_claim = false;             // one reply per consent event
};

// "recipient_opted_out" for REASON_CODE_RECIPIENT_OPTED_OUT; "" for UNSPECIFIED.
std::string ReasonName(v1::ReasonCode reason);
v1::Lane LaneOf(policy::Category category);
// The policy library's category for a wire category; nullopt for UNSPECIFIED.
std::optional<policy::Category> FromProto(v1::Category category);

class GateDecider {
 public:
  // Loads the area-code table from policy.area_code_table, else from
  // `default_area_code_table`. Errors name the file or setting.
  static absl::StatusOr<std::unique_ptr<GateDecider>> Create(
      const policy::PolicyConfig& policy, GateConfig gate,
      const std::string& default_area_code_table);

  // `state` is null when the recipient has no consent state at all.
  Decision Decide(const v1::OutboundRequest& request, const v1::ConsentState* state,
                  absl::Time now) const;
  // Same with the recipient already parsed by ParseRecipient (the pipeline
  // parses once for the consent key and the decision).
  Decision Decide(const v1::OutboundRequest& request,
                  const absl::StatusOr<sms::PhoneNumber>& recipient, const v1::ConsentState* state,
                  absl::Time now) const;

  // The recipient number. Fast path for what requesters send almost always,
  // a NANP number in E.164 ("+1" NPA NXX XXXX) whose area code is in the
  // table and whose exchange starts with 2-9: built without libphonenumber,
  // whose full parse costs ~20 us and would dominate a decision. Anything
  // else goes through sms::ParsePhone with no default region (E.164 only).
  absl::StatusOr<sms::PhoneNumber> ParseRecipient(const std::string& to) const;

  const GateConfig& config() const { return gate_; }

 private:
  GateDecider(policy::AreaCodeTable area_codes, policy::CountryZones countries,
              policy::ResolveOptions zones, policy::QuietHours quiet_hours,
              policy::ConsentRules rules, GateConfig gate);

  // Step 3. On approval fills consent_kind/consent_event_id.
  bool CheckConsent(const v1::OutboundRequest& request, policy::Category category,
                    const v1::ConsentState* state, absl::Time now, Decision* d) const;

  policy::AreaCodeTable area_codes_;
  policy::CountryZones countries_;
  policy::ResolveOptions zones_;
  policy::QuietHours quiet_hours_;
  policy::ConsentRules rules_;
  GateConfig gate_;
};

}  // namespace smsflow::consent::gate
