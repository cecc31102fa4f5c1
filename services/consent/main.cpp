// smsflow-consent: wiring only. The walking skeleton registers the generated
// ConsentService base, so every RPC answers UNIMPLEMENTED until the service's
// own issue adds its logic; health, reflection and /metrics work already.
#include "lib/runtime/service_runtime.h"
#include "smsflow/v1/consent_service.grpc.pb.h"

int main(int argc, char** argv) {
  using smsflow::runtime::ServiceRuntime;
  return smsflow::runtime::RunService(
      {.service = "consent",
       .default_grpc_port = 7103,
       .default_metrics_port = 9103,
       .uses_redis = true},
      argc, argv, nullptr, [](ServiceRuntime& rt) {
        rt.host().AddService(rt.Own(std::make_unique<smsflow::v1::ConsentService::Service>()));
        return absl::OkStatus();
      });
}
