#include "services/consent/ledger/consent_service_support.h"

#include "absl/strings/str_cat.h"
#include "lib/consent_view/consent_state.h"
#include "lib/sms/phone.h"
#include "services/consent/ledger/inbound_plan.h"
#include "services/consent/policy/consent_rules.h"
#include "services/consent/policy/proto_bridge.h"

namespace smsflow::consent::ledger {
namespace {

namespace policy = ::smsflow::consent::policy;

absl::Status Bad(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(why)));
}

absl::Status CheckTime(const google::protobuf::Timestamp& t, std::string_view field,
                       absl::Time now) {
  // Clocks of other systems drift; a capture a little in the future is fine.
  if (FromProto(t) > now + absl::Minutes(5)) return Bad(field, "is in the future");
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateScope(const config::TenantDirectory& tenants, const std::string& tenant_id,
                           const std::string& scope) {
  if (scope.empty()) return Bad("sender_scope", "required");
  const config::Tenant* t = tenants.FindTenant(tenant_id);
  if (t == nullptr) return Bad("tenant_id", absl::StrCat("unknown tenant '", tenant_id, "'"));
  for (const config::Number& n : t->numbers) {
    if (n.scope == scope) return absl::OkStatus();
  }
  return Bad("sender_scope", absl::StrCat("'", scope, "' is not a sender scope of the tenant"));
}

absl::StatusOr<std::string> ValidateRecipient(const std::string& recipient) {
  if (recipient.empty()) return Bad("recipient", "required");
  auto e164 = sms::NormalizeE164(recipient);
  if (!e164.ok()) return Bad("recipient", std::string(e164.status().message()));
  return *e164;
}

absl::StatusOr<ValidCheck> ValidateCheck(const v1::CheckConsentRequest& r,
                                         const std::string& tenant_id,
                                         const config::TenantDirectory& tenants) {
  ValidCheck v;
  v.tenant_id = tenant_id;
  if (!r.tenant_id().empty() && r.tenant_id() != tenant_id) {
    return Bad("tenant_id", "must be empty or the batch's tenant_id");
  }
  if (auto s = ValidateScope(tenants, tenant_id, r.sender_scope()); !s.ok()) return s;
  v.sender_scope = r.sender_scope();
  auto e164 = ValidateRecipient(r.recipient());
  if (!e164.ok()) return e164.status();
  v.recipient = *e164;
  if (!policy::CategoryFromProto(r.category()).has_value()) return Bad("category", "required");
  v.category = r.category();
  return v;
}

absl::Status ValidateGrantProof(const v1::ConsentProof& p, absl::Time now) {
  if (p.source() != v1::CONSENT_SOURCE_WEB_FORM && p.source() != v1::CONSENT_SOURCE_API &&
      p.source() != v1::CONSENT_SOURCE_IMPORT) {
    return Bad("proof.source", "must be WEB_FORM, API or IMPORT");
  }
  if (!p.has_capture_time()) return Bad("proof.capture_time", "required");
  if (auto s = CheckTime(p.capture_time(), "proof.capture_time", now); !s.ok()) return s;
  if (p.text().empty()) return Bad("proof.text", "required (the consent language agreed to)");
  if (p.reference().empty()) return Bad("proof.reference", "required");
  if (p.reference().size() > 1024) return Bad("proof.reference", "longer than 1024 bytes");
  return absl::OkStatus();
}

absl::Status ValidateRevokeProof(const v1::ConsentProof& p, absl::Time now) {
  if (p.source() == v1::CONSENT_SOURCE_KEYWORD ||
      p.source() == v1::CONSENT_SOURCE_INBOUND_MESSAGE) {
    return Bad("proof.source", "KEYWORD and INBOUND_MESSAGE are recorded by the service itself");
  }
  if (!p.has_capture_time()) return Bad("proof.capture_time", "required");
  if (auto s = CheckTime(p.capture_time(), "proof.capture_time", now); !s.ok()) return s;
  if (p.reference().size() > 1024) return Bad("proof.reference", "longer than 1024 bytes");
  return absl::OkStatus();
}

v1::ConsentDecision Decide(v1::Category category, const std::string& recipient,
                           const v1::ConsentState* state, absl::Duration implied_window,
                           absl::Time now, std::string* reason_label) {
  v1::ConsentDecision d;
  d.set_recipient(recipient);
  const policy::ConsentState ps =
      state != nullptr ? policy::StateFromProto(*state, now) : policy::ConsentState{};
  policy::ConsentRulesConfig rc;
  rc.implied_window = implied_window;
  const policy::ConsentRules rules(rc);
  const policy::Category cat =
      policy::CategoryFromProto(category).value_or(policy::Category::kMarketing);
  const policy::ConsentVerdict verdict = rules.Required(cat, ps, now);
  if (reason_label != nullptr) *reason_label = verdict.reason;
  d.set_allowed(verdict.allowed);
  if (!verdict.allowed) {
    if (verdict.reason == policy::kReasonOptedOut) {
      d.set_reason_code(v1::REASON_CODE_RECIPIENT_OPTED_OUT);
      v1::ConsentEvent* e = d.mutable_basis_event();
      e->set_event_id(state->opt_out_event_id());
      e->set_tenant_id(state->tenant_id());
      e->set_sender_scope(state->sender_scope());
      e->set_recipient(state->recipient());
      e->set_action(v1::CONSENT_ACTION_OPT_OUT);
      *e->mutable_record_time() = state->opt_out_time();
    } else {
      d.set_reason_code(v1::REASON_CODE_NO_CONSENT);
    }
    return d;
  }
  if (category == v1::CATEGORY_COMPLIANCE || state == nullptr) return d;
  const v1::ConsentGrant* best = policy::BasisGrant(rules, cat, *state, now);
  if (best == nullptr) return d;
  d.set_basis_kind(best->kind());
  v1::ConsentEvent* e = d.mutable_basis_event();
  e->set_event_id(best->event_id());
  e->set_tenant_id(state->tenant_id());
  e->set_sender_scope(state->sender_scope());
  e->set_recipient(state->recipient());
  e->set_action(v1::CONSENT_ACTION_GRANT);
  e->set_kind(best->kind());
  e->mutable_proof()->set_source(best->source());
  *e->mutable_record_time() = best->grant_time();
  if (best->has_expire_time()) *e->mutable_expire_time() = best->expire_time();
  return d;
}

v1::Rejection RejectionOf(const absl::Status& status) {
  v1::Rejection r;
  const std::string msg(status.message());
  const size_t colon = msg.find(':');
  r.set_field(colon == std::string::npos ? "" : msg.substr(0, colon));
  r.set_reason_code(r.field() == "recipient" ? v1::REASON_CODE_INVALID_NUMBER
                                             : v1::REASON_CODE_INVALID_FIELD);
  r.set_description(msg);
  return r;
}

}  // namespace smsflow::consent::ledger
