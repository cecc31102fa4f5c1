#include "tools/smsctl/commands.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "absl/strings/ascii.h"
#include "lib/delivery/delivery_events.h"
#include "lib/kafka/consumer.h"
#include "lib/kafka/producer.h"
#include "lib/server/call_context.h"
#include "lib/server/health_client.h"
#include "smsflow/v1/consent.pb.h"
#include "smsflow/v1/consent_service.grpc.pb.h"
#include "smsflow/v1/delivery.pb.h"
#include "smsflow/v1/inbound.pb.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"
#include "smsflow/v1/outbound.pb.h"
#include "smsflow/v1/routed.pb.h"
#include "smsflow/v1/sender_service.grpc.pb.h"

namespace smsflow::smsctl {
namespace {

std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(m, &out, opts).ok()) return "null";
  return out;
}

// Every record type that travels on a topic. Naming them links their
// descriptors into the binary, so the generated pool can find them by name.
void RegisterRecordTypes() {
  static const bool registered = [] {
    for (const auto* d : {v1::InboundMessage::descriptor(), v1::DeliveryEvent::descriptor(),
                          v1::ConsentEvent::descriptor(), v1::OutboundRequest::descriptor(),
                          v1::ApprovedMessage::descriptor(), v1::RoutedMessage::descriptor()}) {
      (void)d;
    }
    return true;
  }();
  (void)registered;
}

// Decodes `value` as the named generated type; null if unknown or undecodable.
nlohmann::json Decode(const std::string* type, const std::string& value) {
  RegisterRecordTypes();
  if (type == nullptr) return nullptr;
  const auto* desc =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(*type);
  if (desc == nullptr) return nullptr;
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> msg(factory.GetPrototype(desc)->New());
  if (!msg->ParseFromString(value)) return nullptr;
  return nlohmann::json::parse(ToJson(*msg), nullptr, false);
}

int Fail(const grpc::Status& st) {
  std::cerr << nlohmann::json{{"error", static_cast<int>(st.error_code())},
                              {"message", st.error_message()}}
                   .dump()
            << std::endl;
  return 1;
}

std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
  return grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
}

}  // namespace

int Grant(const GrantArgs& args) {
  v1::ConsentKind kind;
  if (!v1::ConsentKind_Parse("CONSENT_KIND_" + absl::AsciiStrToUpper(args.kind), &kind)) {
    std::cerr << "--kind: '" << args.kind << "' is not express_written, express or implied\n";
    return 2;
  }
  v1::GrantConsentRequest req;
  req.set_tenant_id(args.tenant);
  req.set_sender_scope(args.scope);
  req.set_recipient(args.recipient);
  req.set_kind(kind);
  req.mutable_proof()->set_source(v1::CONSENT_SOURCE_API);
  *req.mutable_proof()->mutable_capture_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  req.mutable_proof()->set_text(args.proof_text);
  req.mutable_proof()->set_reference(args.reference);
  req.mutable_proof()->set_recorded_by("smsctl");
  v1::GrantConsentResponse resp;
  grpc::ClientContext ctx;
  const grpc::Status st =
      v1::ConsentService::NewStub(Channel(args.target))->GrantConsent(&ctx, req, &resp);
  if (!st.ok()) return Fail(st);
  std::cout << ToJson(resp) << std::endl;
  return 0;
}

namespace {
bool ParseCategory(const std::string& name, v1::Category* out) {
  if (v1::Category_Parse("CATEGORY_" + absl::AsciiStrToUpper(name), out)) return true;
  std::cerr << "--category: '" << name
            << "' is not otp, transactional, conversational or marketing\n";
  return false;
}
}  // namespace

int Check(const std::string& target, const std::string& tenant, const std::string& scope,
          const std::string& recipient, const std::string& category_name) {
  v1::Category category;
  if (!ParseCategory(category_name, &category)) return 2;
  v1::CheckConsentRequest req;
  req.set_tenant_id(tenant);
  req.set_sender_scope(scope);
  req.set_recipient(recipient);
  req.set_category(category);
  v1::CheckConsentResponse resp;
  grpc::ClientContext ctx;
  const grpc::Status st =
      v1::ConsentService::NewStub(Channel(target))->CheckConsent(&ctx, req, &resp);
  if (!st.ok()) return Fail(st);
  std::cout << ToJson(resp.decision()) << std::endl;
  return resp.decision().allowed() ? 0 : 1;
}

int Send(const SendArgs& args) {
  v1::Category category;
  if (!ParseCategory(args.category, &category)) return 2;
  v1::SendMessageRequest req;
  req.set_tenant_id(args.tenant);
  req.set_from(args.from);
  req.set_to(args.to);
  req.set_body(args.body);
  req.set_category(category);
  v1::SendMessageResponse resp;
  grpc::ClientContext ctx;
  const grpc::Status st =
      v1::SenderService::NewStub(Channel(args.target))->SendMessage(&ctx, req, &resp);
  if (!st.ok()) return Fail(st);
  std::cout << ToJson(resp) << std::endl;
  return 0;
}

int Get(const std::string& target, const std::string& tenant, const std::string& message_id,
        bool wait_final, std::chrono::milliseconds timeout) {
  auto stub = v1::SenderService::NewStub(Channel(target));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  v1::GetMessageResponse resp;
  while (true) {
    v1::GetMessageRequest req;
    req.set_tenant_id(tenant);
    req.set_message_id(message_id);
    grpc::ClientContext ctx;
    resp.Clear();
    const grpc::Status st = stub->GetMessage(&ctx, req, &resp);
    const bool final = st.ok() && delivery::IsFinalStatus(resp.message().status());
    if (!wait_final || final || std::chrono::steady_clock::now() >= deadline) {
      if (!st.ok()) return Fail(st);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling interval
  }
  std::cout << ToJson(resp.message()) << std::endl;
  return !wait_final || resp.message().status() == v1::MESSAGE_STATUS_DELIVERED ? 0 : 1;
}

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
