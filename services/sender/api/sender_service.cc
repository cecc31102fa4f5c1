#include "services/sender/api/sender_service.h"

#include "absl/strings/str_cat.h"
#include "lib/server/call_context.h"
#include "lib/sms/message_id.h"
#include "services/sender/api/status_rules.h"

namespace smsflow::sender {
namespace {

// The caller's principal if it may act for `tenant_id`.
absl::StatusOr<std::string> Authorize(const grpc::ServerContextBase* context,
                                      const std::string& tenant_id) {
  auto identity = server::IdentityOf(context);
  if (!identity.ok()) return identity.status();
  if (tenant_id.empty()) return absl::InvalidArgumentError("tenant_id: required");
  if (auto st = server::CheckTenantAccess(*identity, tenant_id); !st.ok()) return st;
  return identity->principal;
}

absl::Status CheckId(const std::string& id, const char* field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (!sms::IsMessageId(id)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not an smsflow id (UUIDv7)"));
  }
  return absl::OkStatus();
}

// The batch, if it exists and belongs to `tenant_id` (another tenant's batch
// is NOT_FOUND, so ids do not leak).
absl::StatusOr<BatchSnapshot> FindBatch(StatusStore& status, const std::string& batch_id,
                                        const std::string& tenant_id) {
  auto snap = status.Snapshot(batch_id);
  if (!snap.ok()) return snap.status();
  if (!snap->has_value() || (*snap)->tenant_id != tenant_id) {
    return absl::NotFoundError(
        absl::StrCat("batch_id: no batch '", batch_id, "' for tenant '", tenant_id, "'"));
  }
  return **snap;
}

}  // namespace

SenderServiceImpl::SenderServiceImpl(SendPipeline& pipeline, StatusStore& status,
                                     store::CancellationStore& cancellations,
                                     SenderApiMetrics& metrics, WatchSettings watch)
    : pipeline_(pipeline),
      status_(status),
      cancellations_(cancellations),
      metrics_(metrics),
      watch_(watch) {}

grpc::Status SenderServiceImpl::SendMessage(grpc::ServerContext* context,
                                            const v1::SendMessageRequest* request,
                                            v1::SendMessageResponse* response) {
  auto principal = Authorize(context, request->tenant_id());
  if (!principal.ok()) return server::ToGrpc(principal.status());
  auto r = pipeline_.SendMessage(*request, *principal);
  if (!r.ok()) return server::ToGrpc(r.status());
  *response = *std::move(r);
  return grpc::Status::OK;
}

grpc::Status SenderServiceImpl::SendBatch(grpc::ServerContext* context,
                                          const v1::SendBatchRequest* request,
                                          v1::SendBatchResponse* response) {
  auto principal = Authorize(context, request->tenant_id());
  if (!principal.ok()) return server::ToGrpc(principal.status());
  auto r = pipeline_.SendBatch(*request, *principal);
  if (!r.ok()) return server::ToGrpc(r.status());
  *response = *std::move(r);
  return grpc::Status::OK;
}

grpc::Status SenderServiceImpl::SendBatchStream(
    grpc::ServerContext* context, grpc::ServerReader<v1::SendBatchStreamRequest>* reader,
    v1::SendBatchStreamResponse* response) {
  std::unique_ptr<SendPipeline::Stream> stream;
  v1::SendBatchStreamRequest message;
  while (reader->Read(&message)) {
    if (stream == nullptr) {
      auto principal = Authorize(context, message.tenant_id());
      if (!principal.ok()) return server::ToGrpc(principal.status());
      stream = pipeline_.OpenStream(*principal);
    }
    if (auto st = stream->Add(message); !st.ok()) return server::ToGrpc(st);
  }
  if (context->IsCancelled()) return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled");
  if (stream == nullptr) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "tenant_id: the stream was empty");
  }
  auto r = stream->Finish();
  if (!r.ok()) return server::ToGrpc(r.status());
  *response = *std::move(r);
  return grpc::Status::OK;
}

grpc::Status SenderServiceImpl::GetMessage(grpc::ServerContext* context,
                                           const v1::GetMessageRequest* request,
                                           v1::GetMessageResponse* response) {
  auto principal = Authorize(context, request->tenant_id());
  if (!principal.ok()) return server::ToGrpc(principal.status());
  if (auto st = CheckId(request->message_id(), "message_id"); !st.ok()) return server::ToGrpc(st);
  auto msg = status_.Get(request->message_id(), request->include_history());
  if (!msg.ok()) return server::ToGrpc(msg.status());
  if (!msg->has_value() || (*msg)->tenant_id() != request->tenant_id()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("message_id: no message '", request->message_id(),
                                     "' for tenant '", request->tenant_id(), "'"));
  }
  *response->mutable_message() = std::move(**msg);
  return grpc::Status::OK;
}

grpc::Status SenderServiceImpl::WatchBatch(grpc::ServerContext* context,
                                           const v1::WatchBatchRequest* request,
                                           grpc::ServerWriter<v1::WatchBatchResponse>* writer) {
  auto principal = Authorize(context, request->tenant_id());
  if (!principal.ok()) return server::ToGrpc(principal.status());
  if (auto st = CheckId(request->batch_id(), "batch_id"); !st.ok()) return server::ToGrpc(st);
  auto snap = FindBatch(status_, request->batch_id(), request->tenant_id());
  if (!snap.ok()) return server::ToGrpc(snap.status());
  metrics_.watchers.Increment();
  struct Done {
    prometheus::Gauge& g;
    ~Done() { g.Decrement(); }
  } done_guard{metrics_.watchers};

  v1::WatchBatchResponse first;
  *first.mutable_progress() = MakeProgress(snap->total, snap->counts, snap->open);
  if (!writer->Write(first)) return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
  if (first.progress().done()) return grpc::Status::OK;

  auto options = status_.WatchOptions(watch_.block);
  if (!options.ok()) return server::ToGrpc(options.status());
  redis::Client client(*options);  // dedicated: XREAD BLOCK holds its connection
  std::string last_id = snap->last_change_id;
  std::map<int, int64_t> counts = snap->counts;
  int64_t total = snap->total;
  bool open = snap->open;
  while (!context->IsCancelled()) {
    auto changes = status_.ReadChanges(client, request->batch_id(), &last_id, watch_.block,
                                       watch_.max_events_per_update);
    if (!changes.ok()) return server::ToGrpc(changes.status());
    bool meta_changed = false;
    if (open) {
      // A client stream may still add recipients: follow its total and end.
      auto now = status_.Snapshot(request->batch_id());
      if (!now.ok()) return server::ToGrpc(now.status());
      if (now->has_value()) {
        meta_changed = (*now)->total != total || (*now)->open != open;
        total = (*now)->total;
        open = (*now)->open;
      }
    }
    if (changes->empty() && !meta_changed) continue;
    v1::WatchBatchResponse update;
    for (auto& c : *changes) {
      counts = c.counts;
      if (!request->counts_only()) *update.add_events() = std::move(c.event);
    }
    *update.mutable_progress() = MakeProgress(total, counts, open);
    if (!writer->Write(update))
      return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
    if (update.progress().done()) return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::CANCELLED, "client cancelled");
}

grpc::Status SenderServiceImpl::CancelBatch(grpc::ServerContext* context,
                                            const v1::CancelBatchRequest* request,
                                            v1::CancelBatchResponse* response) {
  auto principal = Authorize(context, request->tenant_id());
  if (!principal.ok()) return server::ToGrpc(principal.status());
  if (auto st = CheckId(request->batch_id(), "batch_id"); !st.ok()) return server::ToGrpc(st);
  auto snap = FindBatch(status_, request->batch_id(), request->tenant_id());
  if (!snap.ok()) return server::ToGrpc(snap.status());
  // The mark is what the gate and the dispatcher obey; it goes first.
  if (auto st = cancellations_.CancelBatch(request->batch_id()); !st.ok()) {
    return server::ToGrpc(st);
  }
  auto first_time = status_.MarkCanceled(request->batch_id());
  if (!first_time.ok()) return server::ToGrpc(first_time.status());
  auto now = status_.Snapshot(request->batch_id());
  if (!now.ok()) return server::ToGrpc(now.status());
  const BatchSnapshot& s = now->has_value() ? **now : *snap;
  // Messages already submitted are not recalled; a repeat cancels nothing new.
  response->set_canceled_count(*first_time ? NotYetSubmitted(s.total, s.counts) : 0);
  *response->mutable_progress() = MakeProgress(s.total, s.counts, s.open);
  return grpc::Status::OK;
}

}  // namespace smsflow::sender
