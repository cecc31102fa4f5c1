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
// Used by the live consumer and by RebuildView. Called on one consumer thread;
// borrows the view, history and metrics.

#include <vector>

#include "lib/consent_view/consent_view.h"
#include "lib/kafka/proto_handler.h"
#include "services/consent/ledger/consent_history.h"
#include "services/consent/ledger/ledger_metrics.h"
#include "smsflow/v1/consent.pb.h"

namespace smsflow::consent::ledger {

class LedgerApplier {
 public:
  // `history` and `metrics` may be null (a rebuild of the view alone).
  LedgerApplier(consentview::ConsentView& view, ConsentHistory* history, LedgerMetrics* metrics);

  std::vector<kafka::Disposition> Handle(const kafka::ProtoBatch<v1::ConsentEvent>& batch);
  kafka::BatchHandler AsBatchHandler();

  // "" when `event` can be folded; else "field: reason".
  static std::string Validate(const v1::ConsentEvent& event);

 private:
  consentview::ConsentView& view_;
  ConsentHistory* history_;
  LedgerMetrics* metrics_;
};

}  // namespace smsflow::consent::ledger
