// smsflow-consent: wiring only. ledger/ turns inbound keywords into ledger
// events and confirmations, folds the ledger into the Redis view and serves
// ConsentService; gate/ decides every outbound request (approve into its
// lane, reject with a reason, or hold for quiet hours / schedule).
#include <cstdio>

#include "absl/time/clock.h"
#include "lib/consent_view/consent_view.h"
#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "lib/runtime/service_runtime.h"
#include "lib/store/cancellations.h"
#include "lib/store/idempotency.h"
#include "services/consent/gate/deferred_guardian.h"
#include "services/consent/gate/deferred_store.h"
#include "services/consent/gate/frequency_caps.h"
#include "services/consent/gate/gate_consumer.h"
#include "services/consent/gate/releaser.h"
#include "services/consent/ledger/confirmation_window.h"
#include "services/consent/ledger/consent_config.h"
#include "services/consent/ledger/consent_service.h"
#include "services/consent/ledger/inbound_keyword_handler.h"
#include "services/consent/ledger/ledger_applier.h"
#include "services/consent/ledger/view_guardian.h"
#include "services/consent/ledger/view_rebuild.h"

namespace {

using namespace smsflow;

// --restore-view: replay sms.consent.v1 into the live view and history (safe
// beside running consumers), then mark the view ready. What the ViewGuardian
// does by itself when the view is lost; for operators who want it now.
int RestoreLiveView(runtime::ServiceRuntime& rt) {
  auto report = consent::ledger::RebuildView({.brokers = rt.kafka_config().brokers,
                                              .view_prefix = consentview::kLivePrefix,
                                              .history_prefix = consent::ledger::kLiveHistoryPrefix,
                                              .restore = true},
                                             rt.redis(), rt.producer());
  if (!report.ok()) {
    std::fprintf(stderr, "restore failed: %s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf("{\"events_applied\":%lld,\"events_skipped\":%lld,\"ready\":true}\n",
              static_cast<long long>(report->events_applied),
              static_cast<long long>(report->events_skipped));
  return 0;
}

// --rebuild-view: replay sms.consent.v1 into a fresh prefix and compare it
// with the live view; the live view is never written.
int RebuildAndCompare(runtime::ServiceRuntime& rt) {
  const std::string prefix =
      "smsflow:consent-rebuild:" + std::to_string(absl::ToUnixSeconds(absl::Now())) + ":";
  auto report = consent::ledger::RebuildView(
      {.brokers = rt.kafka_config().brokers, .view_prefix = prefix}, rt.redis(), rt.producer());
  if (!report.ok()) {
    std::fprintf(stderr, "rebuild failed: %s\n", std::string(report.status().message()).c_str());
    return 1;
  }
  auto diff = consent::ledger::CompareViews(rt.redis(), consentview::kLivePrefix, prefix);
  if (!diff.ok()) {
    std::fprintf(stderr, "compare failed: %s\n", std::string(diff.status().message()).c_str());
    return 1;
  }
  std::printf(
      "{\"events_applied\":%lld,\"events_skipped\":%lld,\"rebuilt_prefix\":\"%s\",\"same\":%lld,"
      "\"different\":%lld,\"live_newer\":%lld,\"only_live\":%lld,\"only_rebuilt\":%lld,"
      "\"equal\":%s}\n",
      static_cast<long long>(report->events_applied),
      static_cast<long long>(report->events_skipped), prefix.c_str(),
      static_cast<long long>(diff->same), static_cast<long long>(diff->different),
      static_cast<long long>(diff->live_newer), static_cast<long long>(diff->only_live),
      static_cast<long long>(diff->only_rebuilt), diff->Equal() ? "true" : "false");
  for (const auto& key : diff->examples) {
    log::Warn("view discrepancy", {{"tenant", key.tenant_id},
                                   {"scope", key.sender_scope},
                                   {"recipient", log::Phone(key.recipient)}});
  }
  return diff->Equal() ? 0 : 1;
}

}  // namespace

#ifndef SMSFLOW_DEFAULT_AREA_CODE_TABLE
#define SMSFLOW_DEFAULT_AREA_CODE_TABLE ""
#endif

int main(int argc, char** argv) {
  std::string consent_config, policy_file;
  std::string area_code_table = SMSFLOW_DEFAULT_AREA_CODE_TABLE;
  bool rebuild_view = false, restore_view = false;
  return runtime::RunService(
      {.service = "consent",
       .default_grpc_port = 7103,
       .default_metrics_port = 9103,
       .uses_redis = true},
      argc, argv,
      [&](config::ConfigLoader& loader) {
        loader.AddString("consent-config", &consent_config,
                         "per-tenant keywords and reply texts YAML (empty: defaults from brands)");
        loader.AddString("policy-file", &policy_file,
                         "quiet hours, consent windows, frequency caps YAML (empty: defaults)");
        loader.AddString("area-code-table", &area_code_table,
                         "NANP area code -> time zone table (TSV)");
        loader.AddBool(
            "rebuild-view", &rebuild_view,
            "check: replay sms.consent.v1 into a fresh view and compare it with the live "
            "one (the live view is not written); exit 0 when equal, 1 otherwise");
        loader.AddBool("restore-view", &restore_view,
                       "repair: replay sms.consent.v1 into the live view and history, mark the "
                       "view ready, exit 0 (a running service's guardian does this by itself "
                       "when the view is lost)");
      },
      [&](runtime::ServiceRuntime& rt) -> absl::Status {
        if (rebuild_view && restore_view) {
          return absl::InvalidArgumentError("rebuild-view, restore-view: give one of them");
        }
        if (rebuild_view || restore_view) {
          rt.ExitWithoutServing(rebuild_view ? RebuildAndCompare(rt) : RestoreLiveView(rt));
          return absl::OkStatus();
        }
        consent::gate::GatePolicyFile policy;  // built-in defaults without a file
        if (!policy_file.empty()) {
          auto loaded = consent::gate::LoadGatePolicyFile(policy_file);
          if (!loaded.ok()) return loaded.status();
          policy = *std::move(loaded);
        }
        auto configs = consent::ledger::ConsentConfigSet::FromFile(
            consent_config, *rt.tenants(), policy.policy.consent.implied_window);
        if (!configs.ok()) return configs.status();
        auto* view = rt.Own(std::make_unique<consentview::ConsentView>(rt.redis()));
        const auto takeover = 2 * rt.kafka_config().delivery_timeout;

        // --- Ledger: inbound keywords -> ledger; ledger -> view; the API ---
        auto* lmetrics = rt.Own(std::make_unique<consent::ledger::LedgerMetrics>(rt.registry()));
        auto* history = rt.Own(std::make_unique<consent::ledger::ConsentHistory>(rt.redis()));
        auto* window = rt.Own(std::make_unique<consent::ledger::ConfirmationWindow>(rt.redis()));
        auto* keywords = rt.Own(std::make_unique<consent::ledger::InboundKeywordHandler>(
            rt.tenants(), *configs, rt.producer(), *view, *window, *lmetrics));
        auto* applier =
            rt.Own(std::make_unique<consent::ledger::LedgerApplier>(*view, history, lmetrics));
        rt.host().AddService(rt.Own(std::make_unique<consent::ledger::ConsentServiceImpl>(
            rt.tenants(), *configs, rt.redis(), *view, *history, rt.producer(), *lmetrics)));
        kafka::ConsumerOptions inbound_opts;
        inbound_opts.brokers = rt.kafka_config().brokers;
        inbound_opts.group_id = rt.kafka_config().consumer_group;  // smsflow-consent
        inbound_opts.topics = {std::string(kafka::topics::kInbound)};
        auto* inbound = rt.Own(std::make_unique<kafka::Consumer>(
            inbound_opts, keywords->AsBatchHandler(), &rt.producer()));
        kafka::ConsumerOptions ledger_opts = inbound_opts;
        ledger_opts.group_id = rt.kafka_config().consumer_group + "-view";
        ledger_opts.topics = {std::string(kafka::topics::kConsent)};
        auto* ledger = rt.Own(std::make_unique<kafka::Consumer>(
            ledger_opts, applier->AsBatchHandler(), &rt.producer()));
        // Restores the view when Redis loses it (until then readers answer
        // UNAVAILABLE and the ledger consumer waits).
        auto* vmetrics =
            rt.Own(std::make_unique<consent::ledger::ViewGuardianMetrics>(rt.registry()));
        consent::ledger::ViewGuardianOptions view_opts;
        view_opts.brokers = rt.kafka_config().brokers;
        view_opts.topic = std::string(kafka::topics::kConsent);
        auto* guardian = rt.Own(std::make_unique<consent::ledger::ViewGuardian>(
            view_opts, rt.redis(), rt.producer(), *vmetrics));

        // --- Gate: every outbound request ---
        auto decider =
            consent::gate::GateDecider::Create(policy.policy, policy.gate, area_code_table);
        if (!decider.ok()) return decider.status();
        auto* dec = rt.Own(std::move(*decider));
        auto* clock = rt.Own(std::make_unique<consent::gate::SystemClock>());
        auto* gmetrics = rt.Own(std::make_unique<consent::gate::GateMetrics>(rt.registry()));
        auto* decided = rt.Own(std::make_unique<store::IdempotencyStore>(
            rt.redis(), "smsflow:gate:decided:", std::chrono::hours(96), takeover));
        auto* replies = rt.Own(std::make_unique<store::IdempotencyStore>(
            rt.redis(), "smsflow:gate:compliance:", std::chrono::hours(96), takeover));
        auto* caps = rt.Own(std::make_unique<consent::gate::RedisCapLedger>(rt.redis()));
        auto* held = rt.Own(std::make_unique<consent::gate::DeferredStore>(rt.redis()));
        auto* cancels = rt.Own(std::make_unique<store::CancellationStore>(rt.redis()));
        auto* pipeline = rt.Own(std::make_unique<consent::gate::GatePipeline>(
            *dec, consent::gate::GateStores{view, decided, replies, caps, held, cancels},
            rt.producer(), *clock, *gmetrics));
        auto* gate = rt.Own(std::make_unique<consent::gate::GateConsumer>(
            consent::gate::GateConsumerOptions(rt.kafka_config().brokers), *pipeline,
            rt.producer()));
        // Restores held requests from their journal when Redis loses them
        // (until then the releaser claims nothing; holds go on).
        auto* dmetrics =
            rt.Own(std::make_unique<consent::gate::DeferredGuardianMetrics>(rt.registry()));
        consent::gate::DeferredGuardianOptions deferred_opts;
        deferred_opts.brokers = rt.kafka_config().brokers;
        auto* dguardian = rt.Own(std::make_unique<consent::gate::DeferredGuardian>(
            deferred_opts, *held, rt.producer(), *dmetrics));
        auto* releaser = rt.Own(std::make_unique<consent::gate::DeferredReleaser>(
            *held, *pipeline, *clock, *gmetrics,
            consent::gate::ReleaserOptions{.lease = absl::Milliseconds(takeover.count()) +
                                                    absl::Seconds(60)}));

        // First, so a fresh install's empty view and deferred store are ready
        // within moments.
        rt.AddStartStep("start view guardian", [guardian] {
          guardian->Start();
          return absl::OkStatus();
        });
        rt.AddStartStep("start deferred guardian", [dguardian] {
          dguardian->Start();
          return absl::OkStatus();
        });
        rt.AddStartStep("start inbound keyword consumer", [inbound] { return inbound->Start(); });
        rt.AddStartStep("start ledger consumer", [ledger] { return ledger->Start(); });
        rt.AddStartStep("start gate consumer", [gate] { return gate->Start(); });
        rt.AddStartStep("start releaser", [releaser] {
          releaser->Start();
          return absl::OkStatus();
        });
        // After gRPC: consumers finish their batch and commit while the
        // producer is alive; held messages not yet released stay in Redis.
        // A restore in progress is abandoned (the next start restores again);
        // it uses the producer, so it stops before the flush like the consumers.
        rt.AddStopStep("stop view guardian", [guardian] { guardian->Stop(); });
        rt.AddStopStep("stop deferred guardian", [dguardian] { dguardian->Stop(); });
        rt.AddStopStep("stop gate consumer", [gate] { gate->Stop(); });
        rt.AddStopStep("stop releaser", [releaser] { releaser->Stop(); });
        rt.AddStopStep("stop inbound keyword consumer", [inbound] { inbound->Stop(); });
        rt.AddStopStep("stop ledger consumer", [ledger] { ledger->Stop(); });
        return absl::OkStatus();
      });
}
