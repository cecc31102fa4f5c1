#include "services/consent/policy/proto_bridge.h"

namespace smsflow::consent::policy {
namespace {

absl::Time ToAbsl(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

int Strength(v1::ConsentKind kind) {
  switch (kind) {
    case v1::CONSENT_KIND_EXPRESS_WRITTEN:
      return 4;
    case v1::CONSENT_KIND_EXPRESS:
      return 3;
    case v1::CONSENT_KIND_OTP_REQUEST:
      return 2;
    case v1::CONSENT_KIND_IMPLIED:
      return 1;
    default:
      return 0;
  }
}

bool Live(const v1::ConsentGrant& g, absl::Time now) {
  return !g.has_expire_time() || ToAbsl(g.expire_time()) > now;
}

}  // namespace

std::optional<Category> CategoryFromProto(v1::Category category) {
  switch (category) {
    case v1::CATEGORY_OTP:
      return Category::kOtp;
    case v1::CATEGORY_TRANSACTIONAL:
      return Category::kTransactional;
    case v1::CATEGORY_CONVERSATIONAL:
      return Category::kConversational;
    case v1::CATEGORY_MARKETING:
      return Category::kMarketing;
    case v1::CATEGORY_COMPLIANCE:
      return Category::kCompliance;
    default:
      return std::nullopt;
  }
}

std::optional<ConsentKind> KindFromProto(v1::ConsentKind kind) {
  switch (kind) {
    case v1::CONSENT_KIND_EXPRESS_WRITTEN:
      return ConsentKind::kExpressWritten;
    case v1::CONSENT_KIND_EXPRESS:
      return ConsentKind::kExpress;
    case v1::CONSENT_KIND_IMPLIED:
      return ConsentKind::kImplied;
    case v1::CONSENT_KIND_OTP_REQUEST:
      return ConsentKind::kOtpRequest;
    default:
      return std::nullopt;
  }
}

ConsentState StateFromProto(const v1::ConsentState& s, absl::Time now) {
  ConsentState out;
  out.opted_out = s.opted_out();
  if (s.has_opt_out_time()) out.opted_out_at = ToAbsl(s.opt_out_time());
  out.opt_out_ref = s.opt_out_event_id();
  for (const v1::ConsentGrant& g : s.grants()) {
    if (!Live(g, now)) continue;
    auto kind = KindFromProto(g.kind());
    if (!kind) continue;
    out.grants.push_back({*kind, ToAbsl(g.grant_time()), g.event_id()});
  }
  return out;
}

const v1::ConsentGrant* BasisGrant(const ConsentRules& rules, Category category,
                                   const v1::ConsentState& state, absl::Time now) {
  const v1::ConsentGrant* best = nullptr;
  for (const v1::ConsentGrant& g : state.grants()) {
    if (!Live(g, now)) continue;
    auto kind = KindFromProto(g.kind());
    if (!kind || !rules.Satisfies(category, {*kind, ToAbsl(g.grant_time()), g.event_id()}, now)) {
      continue;
    }
    if (best == nullptr || Strength(g.kind()) > Strength(best->kind()) ||
        (Strength(g.kind()) == Strength(best->kind()) &&
         ToAbsl(g.grant_time()) > ToAbsl(best->grant_time()))) {
      best = &g;
    }
  }
  return best;
}

}  // namespace smsflow::consent::policy
