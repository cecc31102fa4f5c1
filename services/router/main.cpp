// smsflow-router: wiring only. The walking skeleton registers the generated
// RouterService base, so every RPC answers UNIMPLEMENTED until the service's
// own issue adds its logic; health, reflection and /metrics work already.
#include "lib/runtime/service_runtime.h"
#include "smsflow/v1/router_service.grpc.pb.h"

int main(int argc, char** argv) {
  using smsflow::runtime::ServiceRuntime;
  return smsflow::runtime::RunService(
      {.service = "router",
       .default_grpc_port = 7102,
       .default_metrics_port = 9102,
       .uses_redis = false},
      argc, argv, nullptr, [](ServiceRuntime& rt) {
        rt.host().AddService(rt.Own(std::make_unique<smsflow::v1::RouterService::Service>()));
        return absl::OkStatus();
      });
}
