// smsflow-ingest: wiring only. See ingest_service.h for the logic.
#include "lib/runtime/service_runtime.h"
#include "services/ingest/ingest_service.h"

int main(int argc, char** argv) {
  using smsflow::runtime::ServiceRuntime;
  smsflow::ingest::InboundLimits limits;
  return smsflow::runtime::RunService(
      {.service = "ingest", .default_grpc_port = 7101, .default_metrics_port = 9101}, argc, argv,
      [&](smsflow::config::ConfigLoader& loader) {
        loader.AddInt("max-body-chars", &limits.max_body_chars,
                      "longest inbound body accepted, in characters");
      },
      [&](ServiceRuntime& rt) {
        auto* ingest = rt.Own(std::make_unique<smsflow::ingest::IngestServiceImpl>(
            rt.tenants(), rt.producer(), rt.registry(), limits));
        rt.host().AddService(ingest);
        return absl::OkStatus();
      });
}
