// loadgen: load against a running smsflow (loopback or your own cluster).
//   loadgen inbound --target 127.0.0.1:7101 --to +14155550100 --rate 200 --batch 50 --duration-s 10
// Sends ReceiveMessages batches of realistic inbound texts from distinct
// customer numbers and prints one JSON report line (throughput, latency).
#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "smsflow/v1/ingest_service.grpc.pb.h"
#include "tools/loadgen/load_runner.h"

namespace {

const char* kTexts[] = {"What time do you open on Saturday?",
                        "BALANCE",
                        "Can I move my appointment to 3pm?",
                        "Is the XS blue denim shirt in stock?",
                        "where is my order #48213",
                        "STOP",
                        "thx, see u tmrw \xF0\x9F\x98\x80",
                        "HELP",
                        "Yes, confirming my cleaning on Tuesday",
                        "Do you deliver to 94110?"};

}  // namespace

int main(int argc, char** argv) {
  using namespace smsflow;
  CLI::App app("loadgen: drive a running smsflow");
  app.require_subcommand(1);
  std::string target = "127.0.0.1:7101", to = "+14155550100";
  int batch = 50, duration_s = 10, workers = 4;
  double rate = 100;
  int64_t max_calls = 1'000'000;
  auto* inbound = app.add_subcommand("inbound", "ReceiveMessages batches to ingest");
  inbound->add_option("--target", target, "ingest gRPC host:port");
  inbound->add_option("--to", to, "business number (must belong to a tenant)");
  inbound->add_option("--batch", batch, "messages per call")->check(CLI::Range(1, 1000));
  inbound->add_option("--rate", rate, "calls per second")->check(CLI::PositiveNumber);
  inbound->add_option("--duration-s", duration_s, "stop after this long")
      ->check(CLI::Range(1, 3600));
  inbound->add_option("--max-calls", max_calls, "stop after this many calls");
  inbound->add_option("--workers", workers, "concurrent callers")->check(CLI::Range(1, 256));
  CLI11_PARSE(app, argc, argv);

  auto stub =
      v1::IngestService::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  const auto run_id = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  loadgen::LoadOptions opts{rate, std::chrono::seconds(duration_s), max_calls, workers};
  auto report = loadgen::RunLoad(opts, [&](int64_t call) {
    v1::ReceiveMessagesRequest req;
    for (int j = 0; j < batch; ++j) {
      const int64_t n = call * batch + j;
      auto* r = req.add_requests();
      r->set_from("+1415" + std::to_string(2000000 + n % 7999999));
      r->set_to(to);
      r->set_body(kTexts[n % (sizeof(kTexts) / sizeof(kTexts[0]))]);
      r->set_provider("loadgen");
      r->set_provider_message_id(run_id + "-" + std::to_string(n));
    }
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::ReceiveMessagesResponse resp;
    return stub->ReceiveMessages(&ctx, req, &resp).ok();
  });
  std::cout << report.ToJson(batch) << std::endl;
  return report.failed == 0 ? 0 : 1;
}
