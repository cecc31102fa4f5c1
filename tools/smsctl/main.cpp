// smsctl: command-line client for operators and local runs.
//   smsctl health  --target HOST:PORT
//   smsctl inbound --target HOST:PORT --from +1... --to +1... --body TEXT
//   smsctl tail    --brokers B --topic sms.inbound.v1 [--count N] [--timeout-ms MS]
#include <CLI/CLI.hpp>

#include "tools/smsctl/commands.h"

int main(int argc, char** argv) {
  using namespace smsflow::smsctl;
  CLI::App app("smsctl: talk to a running smsflow");
  app.require_subcommand(1);

  std::string health_target;
  int health_timeout_ms = 2000;
  auto* health = app.add_subcommand("health", "ask a service's grpc.health.v1 status");
  health->add_option("--target", health_target, "host:port of the gRPC server")->required();
  health->add_option("--timeout-ms", health_timeout_ms, "deadline of the check");

  InboundArgs in;
  in.provider = "smsctl";
  auto* inbound = app.add_subcommand("inbound", "hand ingest one inbound message");
  inbound->add_option("--target", in.target, "ingest's gRPC host:port")->required();
  inbound->add_option("--tenant", in.tenant, "act as this tenant (x-smsflow-tenant)");
  inbound->add_option("--from", in.from, "customer's number")->required();
  inbound->add_option("--to", in.to, "business number")->required();
  inbound->add_option("--body", in.body, "message text")->required();
  inbound->add_option("--provider-message-id", in.provider_message_id, "provider's id");

  TailArgs tail_args;
  int tail_timeout_ms = 10000;
  auto* tail = app.add_subcommand("tail", "print a topic's records as JSON lines");
  tail->add_option("--brokers", tail_args.brokers, "Kafka bootstrap servers")->required();
  tail->add_option("--topic", tail_args.topic, "topic to read from the beginning")->required();
  tail->add_option("--count", tail_args.count, "stop after this many records");
  tail->add_option("--timeout-ms", tail_timeout_ms, "stop after this long");

  CLI11_PARSE(app, argc, argv);
  if (*health) return Health(health_target, std::chrono::milliseconds(health_timeout_ms));
  if (*inbound) return Inbound(in);
  tail_args.timeout = std::chrono::milliseconds(tail_timeout_ms);
  return Tail(tail_args);
}
