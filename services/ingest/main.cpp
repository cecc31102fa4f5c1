// smsflow-ingest: wiring only. The logic lives in inbound_pipeline.h and
// receipts.h; ingest_service.h adapts them to gRPC.
#include "lib/runtime/service_runtime.h"
#include "lib/store/idempotency.h"
#include "lib/store/provider_ids.h"
#include "services/ingest/ingest_service.h"

int main(int argc, char** argv) {
  using namespace smsflow;
  ingest::InboundLimits limits;
  ingest::ServiceLimits service_limits;
  std::chrono::milliseconds dedup_window = std::chrono::hours(24);
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
      },
      [&](runtime::ServiceRuntime& rt) -> absl::Status {
        if (service_limits.max_batch < 1 || limits.max_body_chars < 1) {
          return absl::InvalidArgumentError(
              "configuration: --max-batch and --max-body-chars must be at least 1");
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
        return absl::OkStatus();
      });
}
