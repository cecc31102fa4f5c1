#pragma once
// DeferredGuardian: keeps the gate's held requests from being lost with
// Redis. When the DeferredStore's ready marker is missing (Redis lost its
// data, or a first start), it restores the store from the journal
// sms.outbound.deferred.v1 (RestoreDeferred) and marks it ready; until then
// the releaser claims nothing, while new holds keep being journaled and held.
// A RestoreGuardian (services/consent/restore/restore_guardian.h) does the
// checking, retries and metrics: smsflow_consent_deferred_ready and
// smsflow_consent_deferred_restores_total{outcome}.
//
// One background thread between Start() and Stop(); borrows the store and
// the producer (the replay's DLQ producer), which must outlive it.

#include "lib/kafka/producer.h"
#include "services/consent/gate/deferred_store.h"
#include "services/consent/restore/restore_guardian.h"

namespace smsflow::consent::gate {

// Restores always read kafka::topics::kOutboundDeferred.
using DeferredGuardianOptions = GuardianOptions;

// smsflow_consent_deferred_ready (0: nothing held is released) and
// smsflow_consent_deferred_restores_total{outcome}. Once per process.
struct DeferredGuardianMetrics : GuardianMetrics {
  explicit DeferredGuardianMetrics(prometheus::Registry& registry);
};

class DeferredGuardian {
 public:
  DeferredGuardian(DeferredGuardianOptions options, DeferredStore& store, kafka::Producer& producer,
                   DeferredGuardianMetrics& metrics);

  void Start() { guardian_.Start(); }
  // Abandons a restore in progress (the next start restores again) and joins.
  void Stop() { guardian_.Stop(); }
  int64_t restores() const { return guardian_.restores(); }

 private:
  const DeferredGuardianOptions options_;
  RestoreGuardian guardian_;
};

}  // namespace smsflow::consent::gate
