#pragma once
// smsctl's commands, one function each; main.cpp maps the command line to them.
// Each returns the process exit code and prints results as JSON lines.

#include <chrono>
#include <string>

namespace smsflow::smsctl {

// Exit 0 when the server reports SERVING, 1 otherwise.
int Health(const std::string& target, std::chrono::milliseconds timeout);

struct InboundArgs {
  std::string target;
  std::string tenant;  // x-smsflow-tenant metadata, optional
  std::string from;
  std::string to;
  std::string body;
  std::string provider;
  std::string provider_message_id;
};
int Inbound(const InboundArgs& args);

struct GrantArgs {
  std::string target;  // consent's gRPC host:port
  std::string tenant, scope, recipient;
  std::string kind = "express";  // express_written | express | implied
  std::string proof_text, reference;
};
int Grant(const GrantArgs& args);

// Exit 0 when `category` may be sent to the recipient now, 1 otherwise.
int Check(const std::string& target, const std::string& tenant, const std::string& scope,
          const std::string& recipient, const std::string& category);

struct SendArgs {
  std::string target;  // sender's gRPC host:port
  std::string tenant, from, to, body;
  std::string category = "transactional";  // otp | transactional | conversational | marketing
};
int Send(const SendArgs& args);

// Prints the message's status; with `wait_final`, polls until it is final
// (or `timeout`) and exits 0 only for DELIVERED.
int Get(const std::string& target, const std::string& tenant, const std::string& message_id,
        bool wait_final, std::chrono::milliseconds timeout);

struct TailArgs {
  std::string brokers;
  std::string topic;
  int count = 0;  // stop after this many records (0: until timeout)
  std::chrono::milliseconds timeout{10000};
};
// Prints records from the beginning of `topic`, each value decoded by the
// protobuf type its smsflow-type header names.
int Tail(const TailArgs& args);

}  // namespace smsflow::smsctl
