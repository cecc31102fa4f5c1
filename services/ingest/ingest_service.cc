#include "services/ingest/ingest_service.h"

#include "absl/strings/str_cat.h"
#include "lib/server/call_context.h"

namespace smsflow::ingest {
namespace {

InboundItem ToItem(const v1::ReceiveMessageRequest& r) {
  InboundItem item;
  item.from = r.from();
  item.to = r.to();
  item.body = r.body();
  item.provider = r.provider();
  item.provider_message_id = r.provider_message_id();
  if (r.has_provider_time()) item.provider_time = r.provider_time();
  item.num_media = r.num_media();
  item.media_urls.assign(r.media_urls().begin(), r.media_urls().end());
  return item;
}

Authorizer AuthorizerFor(const server::CallIdentity& identity) {
  return [identity](const config::Tenant& tenant) {
    return server::CheckTenantAccess(identity, tenant.id);
  };
}

absl::Status CheckBatchSize(int size, int max, absl::string_view field) {
  if (size == 0) return absl::InvalidArgumentError(absl::StrCat(field, ": empty"));
  if (size > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", size, " items is over the limit of ", max, " per call"));
  }
  return absl::OkStatus();
}

// A batch answers per item; but if any item could not be stored the whole
// call fails UNAVAILABLE, so the caller retries it (stored items then come
// back as duplicates of themselves when they carry provider ids).
template <typename Outcomes>
absl::Status FirstNotStored(const Outcomes& outcomes) {
  for (const auto& o : outcomes) {
    if (o.error.code() == absl::StatusCode::kUnavailable) return o.error;
  }
  return absl::OkStatus();
}

}  // namespace

IngestServiceImpl::IngestServiceImpl(InboundPipeline& inbound, ReceiptPipeline& receipts,
                                     IngestMetrics& metrics, ServiceLimits limits)
    : inbound_(inbound), receipts_(receipts), metrics_(metrics), limits_(limits) {}

grpc::Status IngestServiceImpl::ReceiveMessage(grpc::ServerContext* context,
                                               const v1::ReceiveMessageRequest* request,
                                               v1::ReceiveMessageResponse* response) {
  auto identity = server::IdentityOf(context);
  if (!identity.ok()) return server::ToGrpc(identity.status());
  auto outcomes = inbound_.Receive({ToItem(*request)}, v1::INBOUND_SOURCE_GRPC, "grpc",
                                   AuthorizerFor(*identity));
  const InboundOutcome& o = outcomes[0];
  if (!o.stored()) return server::ToGrpc(o.error);
  response->set_message_id(o.message.message_id());
  response->set_outcome(o.outcome);
  response->set_encoding(o.message.encoding());
  response->set_segments(o.message.segments());
  response->set_tenant_id(o.message.tenant_id());
  response->set_sender_scope(o.message.sender_scope());
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::ReceiveMessages(grpc::ServerContext* context,
                                                const v1::ReceiveMessagesRequest* request,
                                                v1::ReceiveMessagesResponse* response) {
  auto identity = server::IdentityOf(context);
  if (!identity.ok()) return server::ToGrpc(identity.status());
  if (auto st = CheckBatchSize(request->requests_size(), limits_.max_batch, "requests"); !st.ok()) {
    return server::ToGrpc(st);
  }
  metrics_.batch_size
      .Add({{"source", "grpc"}},
           prometheus::Histogram::BucketBoundaries{1, 10, 50, 100, 250, 500, 1000, 5000})
      .Observe(request->requests_size());
  std::vector<InboundItem> items;
  items.reserve(request->requests_size());
  for (const auto& r : request->requests()) items.push_back(ToItem(r));
  auto outcomes =
      inbound_.Receive(items, v1::INBOUND_SOURCE_GRPC, "grpc", AuthorizerFor(*identity));
  if (auto st = FirstNotStored(outcomes); !st.ok()) return server::ToGrpc(st);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const InboundOutcome& o = outcomes[i];
    v1::ReceiveMessageResult* r = response->add_results();
    r->set_index(static_cast<int32_t>(i));
    r->set_outcome(o.outcome);
    if (o.outcome == v1::RECEIVE_OUTCOME_REJECTED) {
      *r->mutable_rejection() = o.rejection;
      continue;
    }
    r->set_message_id(o.message.message_id());
    r->set_encoding(o.message.encoding());
    r->set_segments(o.message.segments());
    r->set_tenant_id(o.message.tenant_id());
    r->set_sender_scope(o.message.sender_scope());
  }
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::ReportDeliveryReceipts(
    grpc::ServerContext* context, const v1::ReportDeliveryReceiptsRequest* request,
    v1::ReportDeliveryReceiptsResponse* response) {
  auto identity = server::IdentityOf(context);
  if (!identity.ok()) return server::ToGrpc(identity.status());
  if (auto st = CheckBatchSize(request->receipts_size(), limits_.max_batch, "receipts"); !st.ok()) {
    return server::ToGrpc(st);
  }
  std::optional<std::string> confined;
  if (!identity->cross_tenant) confined = identity->tenant_id;
  std::vector<v1::DeliveryReceipt> receipts(request->receipts().begin(), request->receipts().end());
  auto outcomes = receipts_.Report(receipts, "grpc", confined);
  if (auto st = FirstNotStored(outcomes); !st.ok()) return server::ToGrpc(st);
  for (const auto& o : outcomes) *response->add_results() = o.result;
  return grpc::Status::OK;
}

}  // namespace smsflow::ingest
