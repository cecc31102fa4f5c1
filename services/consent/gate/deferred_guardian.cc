#include "services/consent/gate/deferred_guardian.h"

#include "lib/kafka/topics.h"
#include "services/consent/gate/deferred_restore.h"

namespace smsflow::consent::gate {
namespace {

RestoreTarget DeferredTarget(const DeferredGuardianOptions& options, DeferredStore& store,
                             kafka::Producer& producer) {
  return {.name = "deferred store",
          .source = std::string(kafka::topics::kOutboundDeferred),
          .is_ready = [&store] { return store.marker().IsReady(); },
          .restore = [&options, &store,
                      &producer](std::stop_token stop) -> absl::StatusOr<RestoreCounts> {
            auto report = RestoreDeferred({.brokers = options.brokers,
                                           .claim_lease = options.claim_lease,
                                           .timeout = options.restore_timeout,
                                           .consumer_extra = options.consumer_extra,
                                           .stop = std::move(stop)},
                                          store, producer);
            if (!report.ok()) return report.status();
            return RestoreCounts{report->holds + report->releases, report->unreadable};
          }};
}

}  // namespace

DeferredGuardianMetrics::DeferredGuardianMetrics(prometheus::Registry& registry)
    : GuardianMetrics(registry, "smsflow_consent_deferred",
                      "the gate's Redis store of held requests",
                      std::string(kafka::topics::kOutboundDeferred)) {}

DeferredGuardian::DeferredGuardian(DeferredGuardianOptions options, DeferredStore& store,
                                   kafka::Producer& producer, DeferredGuardianMetrics& metrics)
    : options_(std::move(options)),
      guardian_(DeferredTarget(options_, store, producer), options_, metrics) {}

}  // namespace smsflow::consent::gate
