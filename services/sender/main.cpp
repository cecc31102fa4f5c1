// smsflow-sender: wiring only. api/ is the SenderService (sends, batches,
// status view, watch, cancel); dispatch/ consumes the approved lanes and
// submits to the carrier under Redis rate limits.
#include "lib/consent_view/consent_view.h"
#include "lib/runtime/service_runtime.h"
#include "lib/store/cancellations.h"
#include "lib/store/idempotency.h"
#include "lib/store/provider_ids.h"
#include "services/sender/api/send_pipeline.h"
#include "services/sender/api/sender_service.h"
#include "services/sender/api/status_tracker.h"
#include "services/sender/dispatch/dispatcher.h"
#include "services/sender/dispatch/sim_carrier.h"

int main(int argc, char** argv) {
  using namespace smsflow;
  sender::SendLimits limits;
  std::string templates_file;
  std::chrono::milliseconds idempotency_window = std::chrono::hours(24);
  std::chrono::milliseconds status_ttl = std::chrono::hours(24 * 7);
  std::chrono::milliseconds watch_block{500};
  sender::RateLimitOptions rate_limits;
  std::chrono::milliseconds claim_takeover{60000};
  std::chrono::milliseconds hold_horizon{30000};
  std::chrono::milliseconds throttle_pause{1000};
  int daily_cap = -1;
  sender::SimCarrierOptions sim;
  std::chrono::milliseconds sim_min_latency{1}, sim_max_latency{5}, sim_receipt_delay{50};
  int sim_window = 100;
  return runtime::RunService(
      {.service = "sender",
       .default_grpc_port = 7104,
       .default_metrics_port = 9104,
       .uses_redis = true},
      argc, argv,
      [&](config::ConfigLoader& loader) {
        loader.AddString("templates-file", &templates_file,
                         "YAML of named templates per tenant (optional)");
        loader.AddInt("max-segments", &limits.max_segments, "segments per message at most");
        loader.AddInt("max-batch", &limits.max_batch, "recipients per SendBatch call");
        loader.AddInt("stream-chunk", &limits.stream_chunk,
                      "recipients per internal chunk of SendBatchStream");
        loader.AddMillis("otp-validity-ms", &limits.otp_validity,
                         "validity of an otp that names none");
        loader.AddMillis("default-validity-ms", &limits.default_validity,
                         "validity of other messages that name none");
        loader.AddBool("smart-encoding", &limits.smart_encoding_default,
                       "replace look-alike punctuation with GSM characters by default");
        loader.AddMillis("idempotency-window-ms", &idempotency_window,
                         "an idempotency key repeated within this returns the first answer");
        loader.AddMillis("status-ttl-ms", &status_ttl, "how long message statuses are kept");
        loader.AddMillis("watch-block-ms", &watch_block, "WatchBatch poll block time");
        loader.AddDouble(
            "tenant-rate", &rate_limits.default_tenant_rate,
            "segments/s per tenant across its numbers, for tenants whose limits.rate is "
            "unset (0: no tenant limit)");
        loader.AddInt("daily-cap", &daily_cap,
                      "segments per tenant per UTC day, for tenants whose limits.daily_segments is "
                      "unset (-1: none)");
        loader.AddDouble("carrier-rate", &rate_limits.carrier_rate,
                         "segments/s of the carrier connection (0: no limit)");
        loader.AddMillis("claim-takeover-ms", &claim_takeover,
                         "a dispatch claim silent this long is taken over and reconciled");
        loader.AddMillis("carrier-throttle-pause-ms", &throttle_pause,
                         "how long a carrier's throttling answer pauses its connection");
        loader.AddMillis("hold-horizon-ms", &hold_horizon,
                         "rate-limited messages held longer go back to Kafka");
        loader.AddMillis("sim-min-latency-ms", &sim_min_latency, "sim carrier: fastest answer");
        loader.AddMillis("sim-max-latency-ms", &sim_max_latency, "sim carrier: slowest answer");
        loader.AddDouble("sim-throttle-ratio", &sim.throttle_ratio,
                         "sim carrier: share of submissions throttled (transient)");
        loader.AddDouble("sim-failure-ratio", &sim.failure_ratio,
                         "sim carrier: share failing permanently");
        loader.AddDouble("sim-undelivered-ratio", &sim.undelivered_ratio,
                         "sim carrier: share accepted then UNDELIV");
        loader.AddInt("sim-window", &sim_window, "sim carrier: submissions in flight at most");
        loader.AddMillis("sim-receipt-delay-ms", &sim_receipt_delay,
                         "sim carrier: latest receipt after acceptance");
      },
      [&](runtime::ServiceRuntime& rt) -> absl::Status {
        // --- API: sends, batches, status view ---
        std::shared_ptr<const sender::TemplateCatalog> templates =
            std::make_shared<sender::TemplateCatalog>();
        if (!templates_file.empty()) {
          auto catalog = sender::TemplateCatalog::FromFile(templates_file);
          if (!catalog.ok()) return catalog.status();
          templates = *catalog;
        }
        const auto takeover = 2 * rt.kafka_config().delivery_timeout;
        auto* api_metrics = rt.Own(std::make_unique<sender::SenderApiMetrics>(rt.registry()));
        auto* idempotency = rt.Own(std::make_unique<store::IdempotencyStore>(
            rt.redis(), "smsflow:sender:idem:", idempotency_window, takeover));
        auto* status = rt.Own(std::make_unique<sender::StatusStore>(
            rt.redis(), sender::StatusStoreOptions{.ttl = status_ttl}));
        auto* cancellations = rt.Own(std::make_unique<store::CancellationStore>(rt.redis()));
        auto* pipeline = rt.Own(std::make_unique<sender::SendPipeline>(
            rt.tenants(), templates, rt.producer(), idempotency, status, *api_metrics, limits));
        rt.host().AddService(rt.Own(std::make_unique<sender::SenderServiceImpl>(
            *pipeline, *status, *cancellations, *api_metrics,
            sender::WatchSettings{.block = watch_block})));
        auto* tracker = rt.Own(std::make_unique<sender::StatusTracker>(*status, *api_metrics));
        auto* tracker_consumer = rt.Own(std::make_unique<kafka::Consumer>(
            sender::StatusTracker::Options(rt.kafka_config().brokers), tracker->Handler(),
            &rt.producer()));

        // --- Dispatcher: approved lanes -> rate limits -> carrier ---
        rate_limits.default_daily_cap = daily_cap;
        sim.min_latency = absl::Milliseconds(sim_min_latency.count());
        sim.max_latency = absl::Milliseconds(sim_max_latency.count());
        sim.max_receipt_delay = absl::Milliseconds(sim_receipt_delay.count());
        sim.window = static_cast<size_t>(std::max(sim_window, 1));
        auto* dispatch_metrics = rt.Own(std::make_unique<sender::DispatchMetrics>(rt.registry()));
        auto* claims = rt.Own(std::make_unique<store::IdempotencyStore>(
            rt.redis(), "smsflow:sender:dispatch:", std::chrono::hours(96), claim_takeover));
        auto* consent = rt.Own(std::make_unique<consentview::ConsentView>(rt.redis()));
        auto* provider_ids = rt.Own(std::make_unique<store::ProviderIdIndex>(rt.redis()));
        auto* limiter = rt.Own(std::make_unique<sender::RedisRateLimiter>(rt.redis()));
        auto policy = std::make_shared<sender::RateLimitPolicy>(rate_limits, rt.tenants());
        // The carrier's side outlives the dispatcher (owned first, destroyed last).
        auto* network = rt.Own(std::make_unique<sender::SimCarrierNetwork>());
        sender::DispatcherOptions dopts;
        dopts.consumer.brokers = rt.kafka_config().brokers;
        dopts.consumer.group_id = rt.kafka_config().consumer_group + "-dispatch";
        dopts.consumer.client_id = "sender-dispatch";
        dopts.hold_horizon = absl::Milliseconds(hold_horizon.count());
        dopts.throttle_pause = absl::Milliseconds(throttle_pause.count());
        auto* dispatcher = rt.Own(std::make_unique<sender::Dispatcher>(
            sender::DispatcherDeps{&rt.producer(), claims, cancellations, consent, provider_ids,
                                   limiter, policy, rt.tenants(), dispatch_metrics},
            dopts, [network, sim](sender::ReceiptSink sink) {
              return std::make_unique<sender::SimCarrier>(*network, sim, std::move(sink));
            }));

        rt.host().AddHealthCheck("dispatcher", [dispatcher] {
          return dispatcher->Healthy() ? absl::OkStatus()
                                       : absl::UnavailableError("dispatcher not running");
        });
        rt.AddStartStep("start status tracker",
                        [tracker_consumer] { return tracker_consumer->Start(); });
        rt.AddStartStep("start dispatcher", [dispatcher] { return dispatcher->Start(); });
        // After gRPC: the dispatcher hands queued messages back uncommitted and
        // commits what it finished; then the status tracker commits its last.
        rt.AddStopStep("stop dispatcher", [dispatcher] { dispatcher->Stop(); });
        rt.AddStopStep("stop status tracker", [tracker_consumer] { tracker_consumer->Stop(); });
        return absl::OkStatus();
      });
}
