#include "services/consent/ledger/ledger_applier.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace smsflow::consent::ledger {
namespace {

std::string KeyString(const consentview::ConsentKey& k) {
  return absl::StrCat(k.tenant_id, "|", k.sender_scope.size(), ":", k.sender_scope, "|",
                      k.recipient);
}

}  // namespace

LedgerApplier::LedgerApplier(consentview::ConsentView& view, ConsentHistory* history,
                             LedgerMetrics* metrics, ApplierMode mode)
    : view_(view), history_(history), metrics_(metrics), mode_(std::move(mode)) {}

kafka::BatchHandler LedgerApplier::AsBatchHandler() {
  return kafka::ProtoBatchHandler<v1::ConsentEvent>(
      [this](const kafka::ProtoBatch<v1::ConsentEvent>& batch) { return Handle(batch); });
}

std::string LedgerApplier::Validate(const v1::ConsentEvent& e) {
  if (e.event_id().empty()) return "event_id: missing";
  if (e.tenant_id().empty()) return "tenant_id: missing";
  if (e.sender_scope().empty()) return "sender_scope: missing";
  if (e.recipient().empty()) return "recipient: missing";
  if (e.action() == v1::CONSENT_ACTION_UNSPECIFIED || !v1::ConsentAction_IsValid(e.action())) {
    return "action: unspecified or unknown";
  }
  if (e.action() == v1::CONSENT_ACTION_GRANT && e.kind() == v1::CONSENT_KIND_UNSPECIFIED) {
    return "kind: required for GRANT";
  }
  return "";
}

std::vector<kafka::Disposition> LedgerApplier::Handle(
    const kafka::ProtoBatch<v1::ConsentEvent>& batch) {
  std::vector<kafka::Disposition> out(batch.size());
  // Distinct keys of the batch, in first-seen order.
  std::map<std::string, size_t> slot;
  std::vector<consentview::ConsentKey> keys;
  std::vector<size_t> valid;
  std::vector<v1::ConsentEvent> events;
  for (size_t i = 0; i < batch.size(); ++i) {
    const v1::ConsentEvent& e = batch[i].second;
    if (std::string why = Validate(e); !why.empty()) {
      out[i] = {kafka::Outcome::kDeadLetter, why};
      continue;
    }
    valid.push_back(i);
    events.push_back(e);
    const consentview::ConsentKey k = consentview::KeyOf(e);
    if (slot.emplace(KeyString(k), keys.size()).second) keys.push_back(k);
  }
  if (valid.empty()) return out;
  auto retry_all = [&](std::string_view op, const absl::Status& s) {
    if (metrics_ != nullptr) metrics_->failures.Add({{"operation", std::string(op)}}).Increment();
    // Retried every few hundred ms while Redis is away or the view restores:
    // the metric counts each, the log says why now and then.
    static log::Throttle throttle(absl::Seconds(10));
    if (throttle.Allow()) {
      log::Warn("consent ledger batch will be retried", {{"operation", op}, {"status", s}});
    }
    for (size_t i : valid)
      out[i] = {kafka::Outcome::kRetry, absl::StrCat(std::string(op), ": ", s.ToString())};
    return out;
  };

  auto current = mode_.require_ready ? view_.GetAll(keys) : view_.GetAllStored(keys);
  if (!current.ok()) return retry_all("view_read", current.status());
  std::vector<consentview::VersionedState> states(keys.size());
  std::vector<bool> changed(keys.size(), false);
  for (size_t k = 0; k < keys.size(); ++k) {
    if ((*current)[k].has_value()) states[k] = *(*current)[k];
  }
  for (size_t i : valid) {
    const v1::ConsentEvent& e = batch[i].second;
    const size_t k = slot[KeyString(consentview::KeyOf(e))];
    // Already folded (a redelivery after the view was written).
    if (batch[i].first->offset <= states[k].version) continue;
    consentview::ApplyEvent(e, &states[k].state);
    states[k].version = batch[i].first->offset;
    changed[k] = true;
    if (metrics_ != nullptr) {
      metrics_->events_applied.Add({{"action", v1::ConsentAction_Name(e.action())}}).Increment();
    }
  }
  std::vector<consentview::VersionedState> writes;
  for (size_t k = 0; k < keys.size(); ++k) {
    if (changed[k]) writes.push_back(std::move(states[k]));
  }
  // History first: if the view write then fails, the retry re-appends
  // nothing (idempotent by id) and writes the view.
  if (history_ != nullptr) {
    if (auto s = history_->AppendAll(events); !s.ok()) return retry_all("history_append", s);
  }
  const absl::Status written = mode_.restore_token.empty()
                                   ? view_.PutAll(writes)
                                   : view_.PutAllForRestore(writes, mode_.restore_token);
  if (written.code() == absl::StatusCode::kAborted) claim_lost_ = true;
  if (!written.ok()) return retry_all("view_write", written);
  return out;
}

}  // namespace smsflow::consent::ledger
