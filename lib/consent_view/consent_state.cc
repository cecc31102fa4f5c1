#include "lib/consent_view/consent_state.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"

namespace smsflow::consentview {
namespace {

absl::Time ToAbsl(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace

ConsentKey KeyOf(const v1::ConsentEvent& event) {
  return {event.tenant_id(), event.sender_scope(), event.recipient()};
}

std::string RecordKeyOf(const v1::ConsentEvent& event) {
  return absl::StrCat(event.tenant_id(), "|", event.recipient());
}

void ApplyEvent(const v1::ConsentEvent& event, v1::ConsentState* state) {
  state->set_tenant_id(event.tenant_id());
  state->set_sender_scope(event.sender_scope());
  state->set_recipient(event.recipient());
  auto* grants = state->mutable_grants();
  switch (event.action()) {
    case v1::CONSENT_ACTION_GRANT: {
      // One grant per kind: a newer grant of the same kind replaces the older.
      for (int i = grants->size() - 1; i >= 0; --i) {
        if (grants->Get(i).kind() == event.kind()) grants->DeleteSubrange(i, 1);
      }
      v1::ConsentGrant* g = grants->Add();
      g->set_kind(event.kind());
      *g->mutable_grant_time() = event.record_time();
      if (event.has_expire_time()) *g->mutable_expire_time() = event.expire_time();
      g->set_event_id(event.event_id());
      g->set_source(event.proof().source());
      break;
    }
    case v1::CONSENT_ACTION_REVOKE:
      for (int i = grants->size() - 1; i >= 0; --i) {
        if (event.kind() == v1::CONSENT_KIND_UNSPECIFIED || grants->Get(i).kind() == event.kind()) {
          grants->DeleteSubrange(i, 1);
        }
      }
      break;
    case v1::CONSENT_ACTION_OPT_OUT:
      state->set_opted_out(true);
      *state->mutable_opt_out_time() = event.record_time();
      state->set_opt_out_event_id(event.event_id());
      break;
    case v1::CONSENT_ACTION_OPT_IN:
      state->set_opted_out(false);
      state->clear_opt_out_time();
      state->clear_opt_out_event_id();
      break;
    default:
      break;
  }
  *state->mutable_update_time() = event.record_time();
  state->set_last_event_id(event.event_id());
}

const v1::ConsentGrant* FindGrant(const v1::ConsentState& state, v1::ConsentKind kind,
                                  absl::Time now) {
  for (const v1::ConsentGrant& g : state.grants()) {
    if (g.kind() != kind) continue;
    if (g.has_expire_time() && ToAbsl(g.expire_time()) <= now) continue;
    return &g;
  }
  return nullptr;
}

}  // namespace smsflow::consentview
