#pragma once
// LedgerApplier: the sms.consent.v1 consumer (group smsflow-consent-view)
// that keeps the derived stores: it folds each batch into the ConsentView
// (version = the record's offset; a key's events share one partition, so
// offsets order them, and a replay never moves a state backwards) and appends
// the events to the per-recipient ConsentHistory (idempotent by event id).
// One MGET, one PutAll pipeline and one history pipeline per batch; Redis
// down -> the whole batch is kRetry. Invalid events are dead-lettered with
// the field that is wrong.
//
// The live consumer reads states with ConsentView::GetAll, so while the view
// is not ready (Redis lost its data) its batches are retried instead of
// folding new events over missing states; it goes on once a restore has
// replayed the ledger and marked the view ready. RebuildView builds with
// ApplierMode{.require_ready = false} (and, into the live view, the token of
// its restore claim, so it stops writing the moment the claim is lost).
//
// Called on one consumer thread; borrows the view, history and metrics.

#include <atomic>
#include <string>
#include <vector>

#include "lib/consent_view/consent_view.h"
#include "lib/kafka/proto_handler.h"
#include "services/consent/ledger/consent_history.h"
#include "services/consent/ledger/ledger_metrics.h"
#include "smsflow/v1/consent.pb.h"

namespace smsflow::consent::ledger {

struct ApplierMode {
  // Read states only from a ready view (the live consumer).
  bool require_ready = true;
  // Not empty: write through ConsentView::PutAllForRestore with this token.
  std::string restore_token;
};

class LedgerApplier {
 public:
  // `history` and `metrics` may be null (a rebuild of the view alone).
  LedgerApplier(consentview::ConsentView& view, ConsentHistory* history, LedgerMetrics* metrics,
                ApplierMode mode = {});

  std::vector<kafka::Disposition> Handle(const kafka::ProtoBatch<v1::ConsentEvent>& batch);
  kafka::BatchHandler AsBatchHandler();

  // "" when `event` can be folded; else "field: reason".
  static std::string Validate(const v1::ConsentEvent& event);

  // True once a write was refused because the restore claim was lost; the
  // restore must then start again. Readable from any thread.
  bool claim_lost() const { return claim_lost_.load(); }

 private:
  consentview::ConsentView& view_;
  ConsentHistory* history_;
  LedgerMetrics* metrics_;
  const ApplierMode mode_;
  std::atomic<bool> claim_lost_{false};
};

}  // namespace smsflow::consent::ledger
