#pragma once
// ViewGuardian: the RestoreGuardian (services/consent/restore) of the live
// consent view - when its ready marker is gone (Redis lost its data), it
// restores the view and history from sms.consent.v1 (a RebuildView restore)
// and marks it ready; meanwhile the gate approves nothing and the ledger
// consumer waits.

#include <prometheus/registry.h>

#include <string>

#include "lib/consent_view/consent_view.h"
#include "lib/kafka/producer.h"
#include "lib/redis/client.h"
#include "services/consent/ledger/consent_history.h"
#include "services/consent/restore/restore_guardian.h"

namespace smsflow::consent {
namespace ledger {

struct ViewGuardianOptions : GuardianOptions {
  std::string topic = "sms.consent.v1";
  std::string view_prefix = consentview::kLivePrefix;
  std::string history_prefix = kLiveHistoryPrefix;
};

// smsflow_consent_view_ready (0 means the gate and the dispatcher are holding
// everything) and smsflow_consent_view_restores_total{outcome}.
struct ViewGuardianMetrics : GuardianMetrics {
  explicit ViewGuardianMetrics(prometheus::Registry& registry);
};

// The RestoreGuardian of the live consent view: a restore is a RebuildView
// restore into the live view and history prefixes. Borrows the pool and the
// producer (the replay's DLQ producer), which must outlive it.
class ViewGuardian {
 public:
  ViewGuardian(ViewGuardianOptions options, redis::Pool& pool, kafka::Producer& producer,
               ViewGuardianMetrics& metrics);

  void Start() { guardian_.Start(); }
  void Stop() { guardian_.Stop(); }
  int64_t restores() const { return guardian_.restores(); }

 private:
  const ViewGuardianOptions options_;
  consentview::ConsentView view_;
  RestoreGuardian guardian_;
};

}  // namespace ledger
}  // namespace smsflow::consent
