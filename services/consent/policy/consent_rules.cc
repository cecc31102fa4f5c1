#include "services/consent/policy/consent_rules.h"

#include "absl/strings/str_cat.h"

namespace smsflow::consent::policy {
namespace {

// Preference among sufficient grants, for the evidence.
int Strength(ConsentKind kind) {
  switch (kind) {
    case ConsentKind::kExpressWritten:
      return 4;
    case ConsentKind::kExpress:
      return 3;
    case ConsentKind::kOtpRequest:
      return 2;
    case ConsentKind::kImplied:
      return 1;
    case ConsentKind::kNone:
      return 0;
  }
  return 0;
}

std::string Describe(const ConsentGrant& g) {
  return absl::StrCat(ConsentKindName(g.kind), " granted ",
                      absl::FormatTime(absl::RFC3339_sec, g.granted_at, absl::UTCTimeZone()),
                      g.ref.empty() ? "" : " ref=", g.ref);
}

absl::string_view Needs(Category category) {
  switch (category) {
    case Category::kMarketing:
      return "express_written";
    case Category::kTransactional:
    case Category::kConversational:
      return "express_written, express or implied within its window";
    case Category::kOtp:
      return "otp_request within its window";
    case Category::kCompliance:
      return "nothing";
  }
  return "?";
}

// A grant's age at `now`; a grant stamped slightly in the future (clock skew
// between ledger writers) counts as fresh.
bool Within(const ConsentGrant& g, absl::Time now, absl::Duration window) {
  return now - g.granted_at <= window;
}

}  // namespace

bool ConsentRules::Satisfies(Category category, const ConsentGrant& grant, absl::Time now) const {
  switch (category) {
    case Category::kCompliance:
      return true;
    case Category::kMarketing:
      return grant.kind == ConsentKind::kExpressWritten;
    case Category::kTransactional:
    case Category::kConversational:
      return grant.kind == ConsentKind::kExpressWritten || grant.kind == ConsentKind::kExpress ||
             (grant.kind == ConsentKind::kImplied && Within(grant, now, config_.implied_window));
    case Category::kOtp:
      return grant.kind == ConsentKind::kOtpRequest &&
             Within(grant, now, config_.otp_request_window);
  }
  return false;
}

ConsentVerdict ConsentRules::Required(Category category, const ConsentState& state,
                                      absl::Time now) const {
  ConsentVerdict v;
  if (category == Category::kCompliance) {
    v.allowed = true;
    v.evidence = "compliance messages need no consent";
    return v;
  }
  if (state.opted_out) {
    v.reason = std::string(kReasonOptedOut);
    v.evidence = absl::StrCat(
        "opted out ", absl::FormatTime(absl::RFC3339_sec, state.opted_out_at, absl::UTCTimeZone()),
        state.opt_out_ref.empty() ? "" : " ref=", state.opt_out_ref);
    return v;
  }
  const ConsentGrant* best = nullptr;
  int on_record = 0;
  for (const ConsentGrant& g : state.grants) {
    if (g.kind == ConsentKind::kNone) continue;
    ++on_record;
    if (!Satisfies(category, g, now)) continue;
    if (best == nullptr || Strength(g.kind) > Strength(best->kind) ||
        (Strength(g.kind) == Strength(best->kind) && g.granted_at > best->granted_at)) {
      best = &g;
    }
  }
  if (best != nullptr) {
    v.allowed = true;
    v.evidence = Describe(*best);
    return v;
  }
  if (on_record == 0) {
    v.reason = std::string(kReasonNoConsent);
    v.evidence =
        absl::StrCat(CategoryName(category), " needs ", Needs(category), "; no consent on record");
    return v;
  }
  v.reason = std::string(kReasonConsentInsufficient);
  v.evidence = absl::StrCat(CategoryName(category), " needs ", Needs(category), "; on record:");
  for (const ConsentGrant& g : state.grants) {
    if (g.kind != ConsentKind::kNone) absl::StrAppend(&v.evidence, " ", Describe(g), ";");
  }
  v.evidence.pop_back();
  return v;
}

}  // namespace smsflow::consent::policy
