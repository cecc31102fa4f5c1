#include "services/ingest/ingest_service.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "lib/kafka/record.h"
#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "lib/metrics/metrics_server.h"
#include "lib/server/call_context.h"
#include "lib/sms/message_id.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest {
namespace {

v1::Encoding ToProto(sms::Encoding e) {
  return e == sms::Encoding::kGsm7 ? v1::ENCODING_GSM7 : v1::ENCODING_UCS2;
}

// Bounded reason label from a validation message "field: ...".
std::string ReasonOf(const absl::Status& st) {
  const std::string msg(st.message());
  const size_t colon = msg.find(':');
  return colon == std::string::npos ? "invalid" : "invalid_" + msg.substr(0, colon);
}

}  // namespace

IngestMetrics::IngestMetrics(prometheus::Registry& registry)
    : received(prometheus::BuildCounter()
                   .Name("smsflow_ingest_messages_total")
                   .Help("Inbound messages by source and outcome (accepted, duplicate, rejected)")
                   .Register(registry)),
      publish_latency(prometheus::BuildHistogram()
                          .Name("smsflow_ingest_publish_duration_seconds")
                          .Help("Time from produce to broker acknowledgement")
                          .Register(registry)),
      produce_errors(prometheus::BuildCounter()
                         .Name("smsflow_ingest_produce_errors_total")
                         .Help("Kafka produce failures by topic")
                         .Register(registry)) {}

IngestServiceImpl::IngestServiceImpl(std::shared_ptr<const config::TenantDirectory> tenants,
                                     kafka::Producer& producer, prometheus::Registry& registry,
                                     InboundLimits limits)
    : tenants_(std::move(tenants)), producer_(producer), metrics_(registry), limits_(limits) {}

void IngestServiceImpl::Count(std::string_view outcome, std::string_view reason) {
  metrics_.received
      .Add({{"source", "grpc"}, {"outcome", std::string(outcome)}, {"reason", std::string(reason)}})
      .Increment();
}

grpc::Status IngestServiceImpl::ReceiveMessage(grpc::ServerContext* context,
                                               const v1::ReceiveMessageRequest* request,
                                               v1::ReceiveMessageResponse* response) {
  auto identity = server::IdentityOf(context);
  if (!identity.ok()) return server::ToGrpc(identity.status());

  auto valid = ValidateInbound(
      {request->from(), request->to(), request->body(), request->num_media()}, limits_);
  if (!valid.ok()) {
    Count("rejected", ReasonOf(valid.status()));
    return server::ToGrpc(valid.status());
  }
  const auto owner = tenants_->FindNumber(valid->to);
  if (!owner.has_value()) {
    Count("rejected", "unknown_destination");
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("to: ", valid->to, " is not a number of any tenant"));
  }
  if (auto st = server::CheckTenantAccess(*identity, owner->tenant->id); !st.ok()) {
    Count("rejected", "permission_denied");
    return server::ToGrpc(st);
  }

  v1::InboundMessage msg;
  msg.set_message_id(sms::NewMessageId());
  msg.set_tenant_id(owner->tenant->id);
  msg.set_sender_scope(owner->number->scope);
  msg.set_from(valid->from);
  msg.set_to(valid->to);
  msg.set_body(request->body());
  msg.set_encoding(ToProto(valid->segments.encoding));
  msg.set_segments(valid->segments.segments);
  msg.set_provider(request->provider().empty() ? "grpc" : request->provider());
  msg.set_provider_message_id(request->provider_message_id());
  *msg.mutable_received_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  if (request->has_provider_time()) *msg.mutable_provider_time() = request->provider_time();
  msg.set_source(v1::INBOUND_SOURCE_GRPC);
  msg.set_num_media(request->num_media());
  *msg.mutable_media_urls() = request->media_urls();

  kafka::Record record;
  record.topic = std::string(kafka::topics::kInbound);
  record.key = absl::StrCat(msg.tenant_id(), "|", msg.from());
  record.value = msg.SerializeAsString();
  record.headers.push_back({std::string(kafka::kTypeHeader), msg.GetTypeName()});

  const auto start = std::chrono::steady_clock::now();
  auto delivered = producer_.SendSync(std::move(record));
  metrics_.publish_latency.Add({{"topic", "inbound"}}, metrics::LatencyBuckets())
      .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (!delivered.ok()) {
    metrics_.produce_errors.Add({{"topic", "inbound"}}).Increment();
    Count("failed", "kafka_unavailable");
    log::Warn("inbound not stored", {{"tenant", msg.tenant_id()},
                                     {"message_id", msg.message_id()},
                                     {"status", delivered.status()}});
    // The caller (a provider) retries; we never acknowledge what is not stored.
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        absl::StrCat("message not stored, retry: ", delivered.status().message()));
  }
  Count("accepted", "");
  log::Info("inbound accepted", {{"tenant", msg.tenant_id()},
                                 {"message_id", msg.message_id()},
                                 {"from", log::Phone(msg.from())},
                                 {"segments", msg.segments()},
                                 {"body_chars", valid->segments.characters}});
  response->set_message_id(msg.message_id());
  response->set_outcome(v1::RECEIVE_OUTCOME_ACCEPTED);
  response->set_encoding(msg.encoding());
  response->set_segments(msg.segments());
  response->set_tenant_id(msg.tenant_id());
  return grpc::Status::OK;
}

}  // namespace smsflow::ingest
