#include "tools/smsctl/commands.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>

#include "lib/kafka/consumer.h"
#include "lib/kafka/producer.h"
#include "lib/server/call_context.h"
#include "lib/server/health_client.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"

namespace smsflow::smsctl {
namespace {

std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(m, &out, opts).ok()) return "null";
  return out;
}

// Decodes `value` as the named generated type; null if unknown or undecodable.
nlohmann::json Decode(const std::string* type, const std::string& value) {
  if (type == nullptr) return nullptr;
  const auto* desc =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(*type);
  if (desc == nullptr) return nullptr;
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> msg(factory.GetPrototype(desc)->New());
  if (!msg->ParseFromString(value)) return nullptr;
  return nlohmann::json::parse(ToJson(*msg), nullptr, false);
}

}  // namespace

int Health(const std::string& target, std::chrono::milliseconds timeout) {
  const auto status = server::CheckHealth(target, timeout);
  const char* name = status == server::HealthStatus::kServing      ? "SERVING"
                     : status == server::HealthStatus::kNotServing ? "NOT_SERVING"
                     : status == server::HealthStatus::kUnknown    ? "UNKNOWN"
                                                                   : "UNREACHABLE";
  std::cout << nlohmann::json{{"target", target}, {"status", name}}.dump() << std::endl;
  return status == server::HealthStatus::kServing ? 0 : 1;
}

int Inbound(const InboundArgs& args) {
  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel(args.target, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!args.tenant.empty()) ctx.AddMetadata(server::kTenantMetadataKey, args.tenant);
  v1::ReceiveMessageRequest req;
  req.set_from(args.from);
  req.set_to(args.to);
  req.set_body(args.body);
  req.set_provider(args.provider);
  req.set_provider_message_id(args.provider_message_id);
  v1::ReceiveMessageResponse resp;
  const grpc::Status st = stub->ReceiveMessage(&ctx, req, &resp);
  if (!st.ok()) {
    std::cerr << nlohmann::json{{"error", static_cast<int>(st.error_code())},
                                {"message", st.error_message()}}
                     .dump()
              << std::endl;
    return 1;
  }
  std::cout << ToJson(resp) << std::endl;
  return 0;
}

int Tail(const TailArgs& args) {
  kafka::ProducerOptions popts;
  popts.brokers = args.brokers;
  auto dlq = kafka::MakeProducer(popts);
  if (!dlq.ok()) {
    std::cerr << dlq.status() << std::endl;
    return 2;
  }
  std::mutex mu;
  std::condition_variable cv;
  int printed = 0;
  kafka::ConsumerOptions copts;
  copts.brokers = args.brokers;
  copts.group_id = "smsctl-tail-" + std::to_string(std::random_device{}());
  copts.topics = {args.topic};
  kafka::Consumer consumer(
      copts,
      [&](const std::vector<kafka::Message>& batch) {
        std::lock_guard lock(mu);
        for (const auto& m : batch) {
          nlohmann::json headers = nlohmann::json::object();
          for (const auto& h : m.headers) headers[h.key] = h.value;
          std::cout << nlohmann::json{{"topic", m.topic},
                                      {"partition", m.partition},
                                      {"offset", m.offset},
                                      {"key", m.key},
                                      {"headers", headers},
                                      {"value", Decode(m.Header(kafka::kTypeHeader), m.value)}}
                           .dump()
                    << std::endl;
          ++printed;
        }
        cv.notify_all();
        return std::vector<kafka::Disposition>(batch.size());
      },
      dlq->get());
  if (auto st = consumer.Start(); !st.ok()) {
    std::cerr << st << std::endl;
    return 2;
  }
  std::unique_lock lock(mu);
  cv.wait_for(lock, args.timeout, [&] { return args.count > 0 && printed >= args.count; });
  lock.unlock();
  consumer.Stop();
  return args.count > 0 && printed < args.count ? 1 : 0;
}

}  // namespace smsflow::smsctl
