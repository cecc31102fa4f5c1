#include "services/consent/ledger/consent_service.h"

#include "absl/strings/str_cat.h"
#include "lib/consent_view/consent_state.h"
#include "lib/kafka/record.h"
#include "lib/log/log.h"
#include "lib/server/call_context.h"
#include "lib/sms/message_id.h"
#include "services/consent/ledger/consent_service_support.h"
#include "services/consent/ledger/derived_ids.h"
#include "services/consent/ledger/inbound_plan.h"
#include "services/consent/ledger/view_scan.h"

namespace smsflow::consent::ledger {
namespace {

using server::ToGrpc;

// Who may act for `tenant_id`: the caller's identity, or the error to return.
absl::StatusOr<server::CallIdentity> Authorize(grpc::ServerContext* context,
                                               const std::string& tenant_id) {
  auto identity = server::IdentityOf(context);
  if (!identity.ok()) return identity.status();
  if (tenant_id.empty()) return absl::InvalidArgumentError("tenant_id: required");
  if (auto s = server::CheckTenantAccess(*identity, tenant_id); !s.ok()) return s;
  return identity;
}

}  // namespace

ConsentServiceImpl::ConsentServiceImpl(std::shared_ptr<const config::TenantDirectory> tenants,
                                       std::shared_ptr<const ConsentConfigSet> configs,
                                       redis::Pool& pool, consentview::ConsentView& view,
                                       ConsentHistory& history, kafka::Producer& producer,
                                       LedgerMetrics& metrics, ConsentServiceOptions options)
    : tenants_(std::move(tenants)),
      configs_(std::move(configs)),
      pool_(pool),
      view_(view),
      history_(history),
      producer_(producer),
      metrics_(metrics),
      options_(std::move(options)),
      view_prefix_(view_.prefix()) {}

absl::Duration ConsentServiceImpl::ImpliedWindow(const std::string& tenant_id) const {
  const ConsentConfigSet::Entry* e = configs_->Find(tenant_id);
  return e != nullptr ? e->config.implied_consent_window : absl::Hours(24);
}

grpc::Status ConsentServiceImpl::CheckConsent(grpc::ServerContext* context,
                                              const v1::CheckConsentRequest* request,
                                              v1::CheckConsentResponse* response) {
  if (auto id = Authorize(context, request->tenant_id()); !id.ok()) return ToGrpc(id.status());
  auto check = ValidateCheck(*request, request->tenant_id(), *tenants_);
  if (!check.ok()) return ToGrpc(check.status());
  auto states = view_.GetAll({{check->tenant_id, check->sender_scope, check->recipient}});
  if (!states.ok()) return ToGrpc(states.status());
  const v1::ConsentState* state = (*states)[0].has_value() ? &(*states)[0]->state : nullptr;
  std::string reason;
  *response->mutable_decision() =
      Decide(check->category, check->recipient, state, ImpliedWindow(check->tenant_id),
             options_.clock(), &reason);
  // One check may afford a second read for the full ledger entry (with its proof).
  if (response->decision().has_basis_event()) {
    auto full = history_.GetAll(
        {{check->tenant_id, check->recipient, response->decision().basis_event().event_id()}});
    if (full.ok() && (*full)[0].has_value()) {
      *response->mutable_decision()->mutable_basis_event() = *(*full)[0];
    }
  }
  metrics_.check_decisions
      .Add({{"rpc", "check"},
            {"outcome", response->decision().allowed() ? "allowed" : "rejected"},
            {"reason", reason.empty() ? "none" : reason}})
      .Increment();
  return grpc::Status::OK;
}

grpc::Status ConsentServiceImpl::CheckConsentBatch(grpc::ServerContext* context,
                                                   const v1::CheckConsentBatchRequest* request,
                                                   v1::CheckConsentBatchResponse* response) {
  if (auto id = Authorize(context, request->tenant_id()); !id.ok()) return ToGrpc(id.status());
  if (request->checks().empty() || request->checks_size() > options_.max_batch) {
    return ToGrpc(absl::InvalidArgumentError(absl::StrCat(
        "checks: 1 to ", options_.max_batch, " checks per call, got ", request->checks_size())));
  }
  std::vector<ValidCheck> valid;
  std::vector<int> where;
  std::vector<consentview::ConsentKey> keys;
  for (int i = 0; i < request->checks_size(); ++i) {
    v1::CheckConsentBatchResult* r = response->add_results();
    r->set_index(i);
    auto check = ValidateCheck(request->checks(i), request->tenant_id(), *tenants_);
    if (!check.ok()) {
      *r->mutable_rejection() = RejectionOf(check.status());
      continue;
    }
    keys.push_back({check->tenant_id, check->sender_scope, check->recipient});
    valid.push_back(*std::move(check));
    where.push_back(i);
  }
  auto states = view_.GetAll(keys);  // the one Redis round trip
  if (!states.ok()) return ToGrpc(states.status());
  const absl::Duration window = ImpliedWindow(request->tenant_id());
  const absl::Time now = options_.clock();
  for (size_t j = 0; j < valid.size(); ++j) {
    const v1::ConsentState* state = (*states)[j].has_value() ? &(*states)[j]->state : nullptr;
    std::string reason;
    v1::ConsentDecision d =
        Decide(valid[j].category, valid[j].recipient, state, window, now, &reason);
    metrics_.check_decisions
        .Add({{"rpc", "check_batch"},
              {"outcome", d.allowed() ? "allowed" : "rejected"},
              {"reason", reason.empty() ? "none" : reason}})
        .Increment();
    *response->mutable_results(where[j])->mutable_decision() = std::move(d);
  }
  return grpc::Status::OK;
}

grpc::Status ConsentServiceImpl::GrantConsent(grpc::ServerContext* context,
                                              const v1::GrantConsentRequest* request,
                                              v1::GrantConsentResponse* response) {
  auto id = Authorize(context, request->tenant_id());
  if (!id.ok()) return ToGrpc(id.status());
  const absl::Time now = options_.clock();
  if (auto s = ValidateScope(*tenants_, request->tenant_id(), request->sender_scope()); !s.ok()) {
    return ToGrpc(s);
  }
  auto recipient = ValidateRecipient(request->recipient());
  if (!recipient.ok()) return ToGrpc(recipient.status());
  if (request->kind() == v1::CONSENT_KIND_UNSPECIFIED ||
      !v1::ConsentKind_IsValid(request->kind())) {
    return ToGrpc(absl::InvalidArgumentError("kind: required"));
  }
  if (auto s = ValidateGrantProof(request->proof(), now); !s.ok()) return ToGrpc(s);
  if (request->has_expire_time() &&
      FromProto(request->expire_time()) <= FromProto(request->proof().capture_time())) {
    return ToGrpc(absl::InvalidArgumentError("expire_time: must be after proof.capture_time"));
  }
  Append a{.rpc = "grant",
           .tenant_id = request->tenant_id(),
           .idempotency_key = request->idempotency_key()};
  v1::ConsentEvent e;
  e.set_tenant_id(request->tenant_id());
  e.set_sender_scope(request->sender_scope());
  e.set_recipient(*recipient);
  e.set_action(v1::CONSENT_ACTION_GRANT);
  e.set_kind(request->kind());
  *e.mutable_proof() = request->proof();
  e.mutable_proof()->set_recorded_by(id->principal);
  *e.mutable_record_time() = ToProto(now);
  const absl::Time captured = FromProto(request->proof().capture_time());
  if (request->has_expire_time()) {
    *e.mutable_expire_time() = request->expire_time();
  } else if (request->kind() == v1::CONSENT_KIND_IMPLIED) {
    *e.mutable_expire_time() = ToProto(captured + ImpliedWindow(request->tenant_id()));
  } else if (request->kind() == v1::CONSENT_KIND_OTP_REQUEST) {
    *e.mutable_expire_time() = ToProto(captured + absl::Minutes(10));
  }
  a.events.push_back(e);
  if (request->lift_opt_out()) {
    // ApplyEvent keeps a grant from lifting an opt-out; the explicit OPT_IN
    // right after it (same key, same partition, so in order) does.
    v1::ConsentEvent lift = e;
    lift.set_action(v1::CONSENT_ACTION_OPT_IN);
    lift.set_kind(v1::CONSENT_KIND_UNSPECIFIED);
    lift.clear_expire_time();
    a.events.push_back(std::move(lift));
  }
  if (request->send_confirmation()) {
    a.confirmation_body = configs_->Find(request->tenant_id())->config.replies.opt_in;
  }
  auto s = Publish(a, response->mutable_event(), response->mutable_state());
  return ToGrpc(s);
}

grpc::Status ConsentServiceImpl::RevokeConsent(grpc::ServerContext* context,
                                               const v1::RevokeConsentRequest* request,
                                               v1::RevokeConsentResponse* response) {
  auto id = Authorize(context, request->tenant_id());
  if (!id.ok()) return ToGrpc(id.status());
  const absl::Time now = options_.clock();
  if (auto s = ValidateScope(*tenants_, request->tenant_id(), request->sender_scope()); !s.ok()) {
    return ToGrpc(s);
  }
  auto recipient = ValidateRecipient(request->recipient());
  if (!recipient.ok()) return ToGrpc(recipient.status());
  if (request->opt_out() && request->kind() != v1::CONSENT_KIND_UNSPECIFIED) {
    return ToGrpc(absl::InvalidArgumentError("kind: must be unspecified when opt_out is true"));
  }
  if (!request->opt_out() && (request->kind() == v1::CONSENT_KIND_UNSPECIFIED ||
                              !v1::ConsentKind_IsValid(request->kind()))) {
    return ToGrpc(absl::InvalidArgumentError("kind: required unless opt_out is true"));
  }
  if (request->send_confirmation() && !request->opt_out()) {
    return ToGrpc(
        absl::InvalidArgumentError("send_confirmation: only an opt_out has a confirmation text"));
  }
  if (auto s = ValidateRevokeProof(request->proof(), now); !s.ok()) return ToGrpc(s);
  Append a{.rpc = "revoke",
           .tenant_id = request->tenant_id(),
           .idempotency_key = request->idempotency_key()};
  v1::ConsentEvent e;
  e.set_tenant_id(request->tenant_id());
  e.set_sender_scope(request->sender_scope());
  e.set_recipient(*recipient);
  e.set_action(request->opt_out() ? v1::CONSENT_ACTION_OPT_OUT : v1::CONSENT_ACTION_REVOKE);
  e.set_kind(request->kind());
  *e.mutable_proof() = request->proof();
  if (e.proof().source() == v1::CONSENT_SOURCE_UNSPECIFIED) {
    e.mutable_proof()->set_source(v1::CONSENT_SOURCE_API);
  }
  e.mutable_proof()->set_recorded_by(id->principal);
  *e.mutable_record_time() = ToProto(now);
  a.events.push_back(std::move(e));
  if (request->send_confirmation()) {
    a.confirmation_body = configs_->Find(request->tenant_id())->config.replies.opt_out;
  }
  return ToGrpc(Publish(a, response->mutable_event(), response->mutable_state()));
}

grpc::Status ConsentServiceImpl::ListConsentHistory(grpc::ServerContext* context,
                                                    const v1::ListConsentHistoryRequest* request,
                                                    v1::ListConsentHistoryResponse* response) {
  if (auto id = Authorize(context, request->tenant_id()); !id.ok()) return ToGrpc(id.status());
  auto recipient = ValidateRecipient(request->recipient());
  if (!recipient.ok()) return ToGrpc(recipient.status());
  if (request->page_size() < 0 || request->page_size() > 1000) {
    return ToGrpc(absl::InvalidArgumentError("page_size: must be 0 to 1000"));
  }
  const int size = request->page_size() == 0 ? 100 : request->page_size();
  auto page = history_.List(request->tenant_id(), *recipient, request->sender_scope(), size,
                            request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  for (v1::ConsentEvent& e : page->events) *response->add_events() = std::move(e);
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status ConsentServiceImpl::ExportConsent(
    grpc::ServerContext* context, const v1::ExportConsentRequest* request,
    grpc::ServerWriter<v1::ExportConsentResponse>* writer) {
  if (auto id = Authorize(context, request->tenant_id()); !id.ok()) return ToGrpc(id.status());
  // A lost view scans as empty: say "not ready" rather than export nothing.
  // (Each chunk's GetAll checks again.)
  auto ready = view_.IsReady();
  if (!ready.ok()) return ToGrpc(ready.status());
  if (!*ready) return ToGrpc(consentview::NotReadyError());
  auto keys = ScanTenantKeys(pool_, view_prefix_, request->tenant_id(), request->sender_scope());
  if (!keys.ok()) return ToGrpc(keys.status());
  constexpr size_t kChunk = 1000;
  for (size_t at = 0; at < keys->size(); at += kChunk) {
    if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
    std::vector<consentview::ConsentKey> chunk(keys->begin() + at,
                                               keys->begin() + std::min(keys->size(), at + kChunk));
    auto states = view_.GetAll(chunk);  // each state read when it is sent
    if (!states.ok()) return ToGrpc(states.status());
    v1::ExportConsentResponse out;
    for (auto& s : *states) {
      if (s.has_value()) *out.add_states() = std::move(s->state);
    }
    if (out.states_size() > 0 && !writer->Write(out)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    }
  }
  return grpc::Status::OK;
}

}  // namespace smsflow::consent::ledger
