#include "services/consent/gate/gate_decider.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/consent/policy/proto_bridge.h"
#include "services/consent/policy/recipient_zone.h"

namespace smsflow::consent::gate {
namespace {

absl::Time ToAbsl(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

Decision Reject(Decision d, v1::ReasonCode reason, std::string description) {
  d.verdict = Verdict::kReject;
  d.reason = reason;
  d.description = std::move(description);
  return d;
}

}  // namespace

std::string ReasonName(v1::ReasonCode reason) {
  if (reason == v1::REASON_CODE_UNSPECIFIED) return "";
  std::string name = v1::ReasonCode_Name(reason);
  return absl::AsciiStrToLower(name.substr(sizeof("REASON_CODE_") - 1));
}

v1::Lane LaneOf(policy::Category category) {
  switch (category) {
    case policy::Category::kOtp:
      return v1::LANE_OTP;
    case policy::Category::kTransactional:
    case policy::Category::kCompliance:
      return v1::LANE_TRANSACTIONAL;
    case policy::Category::kConversational:
      return v1::LANE_CONVERSATIONAL;
    case policy::Category::kMarketing:
      return v1::LANE_MARKETING;
  }
  return v1::LANE_UNSPECIFIED;
}

std::optional<policy::Category> FromProto(v1::Category category) {
  return policy::CategoryFromProto(category);
}

absl::StatusOr<std::unique_ptr<GateDecider>> GateDecider::Create(
    const policy::PolicyConfig& policy, GateConfig gate,
    const std::string& default_area_code_table) {
  const std::string& path =
      policy.area_code_table.empty() ? default_area_code_table : policy.area_code_table;
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "policy config: area_code_table: no path configured for the area-code table");
  }
  auto table = policy::AreaCodeTable::LoadFile(path);
  if (!table.ok()) return table.status();
  auto countries = policy::CountryZones::Builtin();
  if (!countries.ok()) return countries.status();
  auto quiet = policy::QuietHours::Create(policy.quiet_hours);
  if (!quiet.ok()) return quiet.status();
  return std::unique_ptr<GateDecider>(
      new GateDecider(*std::move(table), *std::move(countries), policy.zones, *std::move(quiet),
                      policy::ConsentRules(policy.consent), std::move(gate)));
}

GateDecider::GateDecider(policy::AreaCodeTable area_codes, policy::CountryZones countries,
                         policy::ResolveOptions zones, policy::QuietHours quiet_hours,
                         policy::ConsentRules rules, GateConfig gate)
    : area_codes_(std::move(area_codes)),
      countries_(std::move(countries)),
      zones_(zones),
      quiet_hours_(std::move(quiet_hours)),
      rules_(rules),
      gate_(std::move(gate)) {}

bool GateDecider::CheckConsent(const v1::OutboundRequest& request, policy::Category category,
                               const v1::ConsentState* state, absl::Time now, Decision* d) const {
  if (category == policy::Category::kCompliance) {
    d->needs_compliance_claim = true;
    return true;  // needs no consent, even after an opt-out: it may be the confirmation of it
  }
  const policy::ConsentState ps =
      state ? policy::StateFromProto(*state, now) : policy::ConsentState{};
  if (category == policy::Category::kOtp && !gate_.otp_requires_ledger_request) {
    if (ps.opted_out) {
      *d = Reject(std::move(*d), v1::REASON_CODE_RECIPIENT_OPTED_OUT,
                  absl::StrCat("opted out ", Rfc3339(ps.opted_out_at), " ref=", ps.opt_out_ref));
      return false;
    }
    // The request is the user's own ask for a code (GateConfig); a ledger
    // grant, when there is one in its window, is named as better evidence.
    d->consent_kind = v1::CONSENT_KIND_OTP_REQUEST;
    for (const policy::ConsentGrant& g : ps.grants) {
      if (rules_.Satisfies(category, g, now)) d->consent_event_id = g.ref;
    }
    d->description = d->consent_event_id.empty() ? "otp request implied by the requester"
                                                 : "otp request on record";
    return true;
  }
  const policy::ConsentVerdict v = rules_.Required(category, ps, now);
  if (!v.allowed) {
    *d = Reject(std::move(*d),
                v.reason == policy::kReasonOptedOut ? v1::REASON_CODE_RECIPIENT_OPTED_OUT
                                                    : v1::REASON_CODE_NO_CONSENT,
                v.evidence);
    return false;
  }
  // The grant the approval rests on: the strongest sufficient one, latest first.
  const v1::ConsentGrant* best =
      state != nullptr ? policy::BasisGrant(rules_, category, *state, now) : nullptr;
  if (best != nullptr) {
    d->consent_kind = best->kind();
    d->consent_event_id = best->event_id();
  }
  d->description = v.evidence;
  return true;
}

absl::StatusOr<sms::PhoneNumber> GateDecider::ParseRecipient(const std::string& to) const {
  const bool nanp_e164 =
      to.size() == 12 && to[0] == '+' && to[1] == '1' &&
      std::all_of(to.begin() + 2, to.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      to[2] >= '2' && to[5] >= '2';
  if (nanp_e164) {
    if (const policy::AreaCodeEntry* area = area_codes_.Find(to.substr(2, 3))) {
      sms::PhoneNumber phone;
      phone.e164 = to;
      phone.region = area->country;
      phone.country_code = 1;
      phone.area_code = to.substr(2, 3);
      phone.type = sms::NumberType::kFixedLineOrMobile;
      return phone;
    }
  }
  return sms::ParsePhone(to, "");
}

Decision GateDecider::Decide(const v1::OutboundRequest& request, const v1::ConsentState* state,
                             absl::Time now) const {
  return Decide(request, ParseRecipient(request.to()), state, now);
}

Decision GateDecider::Decide(const v1::OutboundRequest& request,
                             const absl::StatusOr<sms::PhoneNumber>& phone,
                             const v1::ConsentState* state, absl::Time now) const {
  Decision d;
  const auto category = FromProto(request.category());
  if (!category) {
    return Reject(std::move(d), v1::REASON_CODE_INVALID_FIELD, "category: required");
  }
  d.category = *category;
  d.lane = LaneOf(*category);
  if (!phone.ok()) {
    return Reject(std::move(d), v1::REASON_CODE_INVALID_NUMBER,
                  absl::StrCat("to: ", std::string(phone.status().message())));
  }
  d.to = phone->e164;
  if (*category == policy::Category::kCompliance) {
    if (request.origin() == v1::OUTBOUND_ORIGIN_SENDER_API) {
      return Reject(std::move(d), v1::REASON_CODE_INVALID_FIELD,
                    "category: compliance messages come only from the consent service");
    }
    if (request.consent_event_id().empty()) {
      return Reject(std::move(d), v1::REASON_CODE_INVALID_FIELD,
                    "consent_event_id: required for compliance messages");
    }
  }

  absl::Time expire = absl::InfiniteFuture();
  if (request.has_expire_time()) {
    expire = ToAbsl(request.expire_time());
  } else if (request.has_request_time()) {
    expire = ToAbsl(request.request_time()) + gate_.default_validity;
  }
  if (expire <= now) {
    return Reject(std::move(d), v1::REASON_CODE_VALIDITY_EXPIRED,
                  absl::StrCat("validity ended ", Rfc3339(expire)));
  }

  if (!CheckConsent(request, *category, state, now, &d)) return d;
  const std::string consent_evidence = d.description;

  if (request.has_send_time() && ToAbsl(request.send_time()) > now) {
    const absl::Time at = ToAbsl(request.send_time());
    if (at >= expire) {
      return Reject(
          std::move(d), v1::REASON_CODE_VALIDITY_EXPIRED,
          absl::StrCat("send_time ", Rfc3339(at), " is not before expire_time ", Rfc3339(expire)));
    }
    d.verdict = Verdict::kDefer;
    d.release_time = at;
    d.description = absl::StrCat("scheduled for ", Rfc3339(at));
    return d;
  }

  // Where the recipient is: the request's zone, else the number; the
  // request's region, when given, names the state whose rules apply.
  const std::optional<std::string> known_zone = request.recipient_time_zone().empty()
                                                    ? std::nullopt
                                                    : std::optional(request.recipient_time_zone());
  policy::RecipientZone where =
      policy::ResolveRecipientZone(*phone, known_zone, area_codes_, countries_, zones_);
  if (!request.recipient_region().empty()) {
    std::vector<std::string> parts = absl::StrSplit(request.recipient_region(), '-');
    for (policy::ZoneAndState& c : where.candidates) {
      c.country = parts[0];
      c.state = parts.size() > 1 ? parts[1] : "";
    }
  }
  std::vector<std::string> regions;
  if (!request.recipient_region().empty()) regions.push_back(request.recipient_region());
  for (const policy::ZoneAndState& c : where.candidates) regions.push_back(c.RegionKey());

  if (!quiet_hours_.IsExempt(*category)) {
    if (!where.candidates.empty()) d.time_zone = where.candidates[0].zone_name;
    const policy::WindowDecision w = quiet_hours_.CheckWindow(now, where.candidates, *category);
    if (!w.allowed) {
      if (w.next_allowed >= expire) {
        return Reject(
            std::move(d), v1::REASON_CODE_QUIET_HOURS,
            absl::StrCat("outside ", w.rule, "; next allowed ",
                         w.next_allowed == absl::InfiniteFuture() ? std::string("never")
                                                                  : Rfc3339(w.next_allowed),
                         " is not before expire_time ", Rfc3339(expire)));
      }
      d.verdict = Verdict::kDefer;
      d.quiet_hours = true;
      d.reason = v1::REASON_CODE_QUIET_HOURS;
      d.release_time = w.next_allowed;
      d.description = absl::StrCat("outside ", w.rule, "; deferred to ", Rfc3339(w.next_allowed));
      return d;
    }
    d.window_end = w.window_end;
    d.description = absl::StrCat(consent_evidence, "; within ", w.rule);
  }

  d.caps = CapsFor(gate_.frequency_caps, *category, regions, request.tenant_id(), d.to,
                   request.subject());
  d.verdict = Verdict::kApprove;
  return d;
}

}  // namespace smsflow::consent::gate
