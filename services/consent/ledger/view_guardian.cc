#include "services/consent/ledger/view_guardian.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "services/consent/ledger/view_rebuild.h"

namespace smsflow::consent {

namespace ledger {

ViewGuardianMetrics::ViewGuardianMetrics(prometheus::Registry& registry)
    : GuardianMetrics(registry, "smsflow_consent_view", "the Redis consent view",
                      "sms.consent.v1") {}

ViewGuardian::ViewGuardian(ViewGuardianOptions options, redis::Pool& pool,
                           kafka::Producer& producer, ViewGuardianMetrics& metrics)
    : options_(std::move(options)),
      view_(pool, options_.view_prefix),
      guardian_(
          RestoreTarget{.name = "consent view",
                        .source = options_.topic,
                        .is_ready = [this] { return view_.IsReady(); },
                        .restore = [this, &pool, &producer](
                                       std::stop_token stop) -> absl::StatusOr<RestoreCounts> {
                          auto report = RebuildView({.brokers = options_.brokers,
                                                     .topic = options_.topic,
                                                     .view_prefix = options_.view_prefix,
                                                     .history_prefix = options_.history_prefix,
                                                     .restore = true,
                                                     .claim_lease = options_.claim_lease,
                                                     .timeout = options_.restore_timeout,
                                                     .consumer_extra = options_.consumer_extra,
                                                     .stop = std::move(stop)},
                                                    pool, producer);
                          if (!report.ok()) return report.status();
                          return RestoreCounts{report->events_applied, report->events_skipped};
                        }},
          options_, metrics) {}

}  // namespace ledger
}  // namespace smsflow::consent
