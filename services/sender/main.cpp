// smsflow-sender: wiring only. The walking skeleton registers the generated
// SenderService base, so every RPC answers UNIMPLEMENTED until the service's
// own issue adds its logic; health, reflection and /metrics work already.
#include "lib/runtime/service_runtime.h"
#include "smsflow/v1/sender_service.grpc.pb.h"

int main(int argc, char** argv) {
  using smsflow::runtime::ServiceRuntime;
  return smsflow::runtime::RunService(
      {.service = "sender",
       .default_grpc_port = 7104,
       .default_metrics_port = 9104,
       .uses_redis = true},
      argc, argv, nullptr, [](ServiceRuntime& rt) {
        rt.host().AddService(rt.Own(std::make_unique<smsflow::v1::SenderService::Service>()));
        return absl::OkStatus();
      });
}
