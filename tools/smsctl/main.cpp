// smsctl: command-line client for operators and local runs.
//   smsctl health  --target HOST:PORT
//   smsctl inbound --target HOST:PORT --from +1... --to +1... --body TEXT
//   smsctl tail    --brokers B --topic sms.inbound.v1 [--count N] [--timeout-ms MS]
//   smsctl grant   --target HOST:PORT --tenant T --scope S --recipient +1... --proof-text TEXT
//   smsctl send    --target HOST:PORT --tenant T --from +1... --to +1... --body TEXT [--category C]
//   smsctl get     --target HOST:PORT --tenant T --id MESSAGE_ID [--wait]
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

  GrantArgs grant_args;
  auto* grant = app.add_subcommand("grant", "record a consent grant with proof");
  grant->add_option("--target", grant_args.target, "consent's gRPC host:port")->required();
  grant->add_option("--tenant", grant_args.tenant, "tenant id")->required();
  grant->add_option("--scope", grant_args.scope, "sender scope")->required();
  grant->add_option("--recipient", grant_args.recipient, "customer's number")->required();
  grant->add_option("--kind", grant_args.kind, "express_written, express or implied");
  grant->add_option("--proof-text", grant_args.proof_text, "the consent language agreed to")
      ->required();
  grant->add_option("--reference", grant_args.reference, "form or document reference");

  std::string check_target, check_tenant, check_scope, check_recipient;
  std::string check_category = "transactional";
  auto* check = app.add_subcommand("check", "may this category be sent to the recipient now?");
  check->add_option("--target", check_target, "consent's gRPC host:port")->required();
  check->add_option("--tenant", check_tenant, "tenant id")->required();
  check->add_option("--scope", check_scope, "sender scope")->required();
  check->add_option("--recipient", check_recipient, "customer's number")->required();
  check->add_option("--category", check_category, "otp, transactional, conversational, marketing");

  SendArgs send_args;
  auto* send = app.add_subcommand("send", "send one text through the sender API");
  send->add_option("--target", send_args.target, "sender's gRPC host:port")->required();
  send->add_option("--tenant", send_args.tenant, "tenant id")->required();
  send->add_option("--from", send_args.from, "business number")->required();
  send->add_option("--to", send_args.to, "customer's number")->required();
  send->add_option("--body", send_args.body, "message text")->required();
  send->add_option("--category", send_args.category,
                   "otp, transactional, conversational, marketing");

  std::string get_target, get_tenant, get_id;
  bool get_wait = false;
  int get_timeout_ms = 30000;
  auto* get = app.add_subcommand("get", "show an outbound message's status");
  get->add_option("--target", get_target, "sender's gRPC host:port")->required();
  get->add_option("--tenant", get_tenant, "tenant id")->required();
  get->add_option("--id", get_id, "message id")->required();
  get->add_flag("--wait", get_wait, "poll until the status is final (exit 0 only if delivered)");
  get->add_option("--timeout-ms", get_timeout_ms, "give up waiting after this long");

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
  if (*grant) return Grant(grant_args);
  if (*check)
    return Check(check_target, check_tenant, check_scope, check_recipient, check_category);
  if (*send) return Send(send_args);
  if (*get)
    return Get(get_target, get_tenant, get_id, get_wait, std::chrono::milliseconds(get_timeout_ms));
  tail_args.timeout = std::chrono::milliseconds(tail_timeout_ms);
  return Tail(tail_args);
}
