#pragma once
// Which consent a category needs (COMPLIANCE.md "Consent", issue 4):
//
//   category        | sufficient grants
//   ----------------+-------------------------------------------------------
//   marketing       | express_written
//   transactional   | express_written, express, implied (within its window)
//   conversational  | express_written, express, implied (within its window)
//   otp             | otp_request (within its window) - a standing consent
//                   | does not mean the user asked for a code now
//   compliance      | always allowed, even after an opt-out (the one
//                   | confirmation; "one per event" is enforced elsewhere)
//
// An opt-out blocks every category but compliance. Implied consent (the
// customer texted first) lasts 24 h by default, the customary customer-care
// window; an otp request lasts 10 min, longer than any code's useful life.
// Pure and stateless apart from the config; thread-safe.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/consent/policy/categories.h"

namespace smsflow::consent::policy {

inline constexpr absl::string_view kReasonOptedOut = "recipient_opted_out";
inline constexpr absl::string_view kReasonNoConsent = "no_consent";
inline constexpr absl::string_view kReasonConsentInsufficient = "consent_insufficient";

struct ConsentGrant {
  ConsentKind kind = ConsentKind::kNone;
  absl::Time granted_at;
  std::string ref;  // ledger entry / proof reference, echoed in the evidence
};

// The recipient's current state for one tenant + sender scope, as derived
// from the ledger (an opt-in after an opt-out clears opted_out there).
struct ConsentState {
  bool opted_out = false;
  absl::Time opted_out_at = absl::InfinitePast();
  std::string opt_out_ref;
  std::vector<ConsentGrant> grants;
};

struct ConsentRulesConfig {
  absl::Duration implied_window = absl::Hours(24);
  absl::Duration otp_request_window = absl::Minutes(10);
};

struct ConsentVerdict {
  bool allowed = false;
  std::string reason;    // "" when allowed, else one of the kReason* codes
  std::string evidence;  // the grant or opt-out relied on, or what was missing
};

class ConsentRules {
 public:
  explicit ConsentRules(ConsentRulesConfig config = {}) : config_(config) {}

  // Whether `category` may be sent to a recipient in `state` at `now`. When
  // several grants suffice, the evidence names the strongest, most recent.
  // Reasons: recipient_opted_out; no_consent (no grant on record);
  // consent_insufficient (grants on record, none sufficient now, e.g. express
  // for marketing or an implied grant past its window).
  ConsentVerdict Required(Category category, const ConsentState& state, absl::Time now) const;

  // Whether one grant covers `category` at `now`.
  bool Satisfies(Category category, const ConsentGrant& grant, absl::Time now) const;

  const ConsentRulesConfig& config() const { return config_; }

 private:
  ConsentRulesConfig config_;
};

}  // namespace smsflow::consent::policy
