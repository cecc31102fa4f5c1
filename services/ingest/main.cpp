// smsflow-ingest: wiring only. The logic lives in inbound_pipeline.h and
// receipts.h; ingest_service.h adapts them to gRPC and webhook/ to provider
// webhooks (HTTP).
#include "lib/runtime/service_runtime.h"
#include "lib/store/idempotency.h"
#include "lib/store/provider_ids.h"
#include "services/ingest/ingest_service.h"
#include "services/ingest/webhook/webhook_server.h"

int main(int argc, char** argv) {
  using namespace smsflow;
  ingest::InboundLimits limits;
  ingest::ServiceLimits service_limits;
  std::chrono::milliseconds dedup_window = std::chrono::hours(24);
  std::string webhook_address = "0.0.0.0:8101";
  // The local default; behind an ingress set it to the public URL.
  std::string webhook_public_url = "http://127.0.0.1:8101";
  int webhook_max_body_bytes = 64 * 1024;
  return runtime::RunService(
      {.service = "ingest",
       .default_grpc_port = 7101,
       .default_metrics_port = 9101,
       .uses_redis = true},
      argc, argv,
      [&](config::ConfigLoader& loader) {
        loader.AddInt("max-body-chars", &limits.max_body_chars,
                      "longest inbound body accepted, in characters");
        loader.AddInt("max-batch", &service_limits.max_batch,
                      "items per ReceiveMessages/ReportDeliveryReceipts call");
        loader.AddMillis("dedup-window-ms", &dedup_window,
                         "a provider message id seen again within this is a duplicate");
        loader.AddString("webhook-address", &webhook_address,
                         "host:port of the provider webhook listener (port 0: a free one, "
                         "logged as \"webhook listening\"); empty disables webhooks");
        loader.AddString("webhook-public-url", &webhook_public_url,
                         "URL base the providers are configured with (e.g. "
                         "https://sms.example.com); signatures are checked against it. "
                         "Required when webhooks are enabled");
        loader.AddInt("webhook-max-body-bytes", &webhook_max_body_bytes,
                      "largest webhook request body accepted (413 above)");
      },
      [&](runtime::ServiceRuntime& rt) -> absl::Status {
        if (service_limits.max_batch < 1 || limits.max_body_chars < 1) {
          return absl::InvalidArgumentError(
              "configuration: --max-batch and --max-body-chars must be at least 1");
        }
        ingest::webhook::WebhookServerOptions webhook_options;
        if (!webhook_address.empty()) {
          if (auto st = ingest::webhook::ParseListenAddress(webhook_address, &webhook_options);
              !st.ok()) {
            return st;
          }
          if (webhook_max_body_bytes < 1) {
            return absl::InvalidArgumentError("webhook-max-body-bytes: must be at least 1");
          }
          webhook_options.public_base_url = webhook_public_url;
          webhook_options.twilio.max_body_bytes = static_cast<size_t>(webhook_max_body_bytes);
          if (auto st = ingest::webhook::ValidateOptions(webhook_options); !st.ok()) return st;
        }

        auto* metrics = rt.Own(std::make_unique<ingest::IngestMetrics>(rt.registry()));
        // A pending claim is taken over once its owner must have given up:
        // after twice the Kafka delivery timeout.
        auto* dedup = rt.Own(std::make_unique<store::IdempotencyStore>(
            rt.redis(), "smsflow:ingest:dedup:", dedup_window,
            2 * rt.kafka_config().delivery_timeout));
        auto* index = rt.Own(std::make_unique<store::ProviderIdIndex>(rt.redis()));
        auto* inbound = rt.Own(std::make_unique<ingest::InboundPipeline>(
            rt.tenants(), rt.producer(), dedup, *metrics, limits));
        auto* receipts =
            rt.Own(std::make_unique<ingest::ReceiptPipeline>(rt.producer(), *index, *metrics));
        rt.host().AddService(rt.Own(std::make_unique<ingest::IngestServiceImpl>(
            *inbound, *receipts, *metrics, service_limits)));

        if (!webhook_address.empty()) {
          auto* webhooks = rt.Own(std::make_unique<ingest::webhook::WebhookServer>(
              rt.tenants(), *inbound, *receipts, rt.registry(), *metrics, webhook_options));
          // Once gRPC serves and before the ready file: a bind failure stops
          // the process before it reports ready.
          rt.AddStartStep("start webhooks", [webhooks] { return webhooks->Start(); });
          // After gRPC has stopped and before the producer is flushed: the
          // requests in flight finish (each waits for its broker ack).
          rt.AddStopStep("stop webhooks", [webhooks] { webhooks->Stop(); });
        }
        return absl::OkStatus();
      });
}
