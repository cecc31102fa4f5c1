#pragma once
// SenderServiceImpl: the gRPC adapter of the sender API. Checks the caller's
// tenant, hands sends to SendPipeline, reads status and batch progress from
// StatusStore, and marks cancellations in CancellationStore. Thread-safe
// (gRPC calls handlers concurrently); borrows everything, which must outlive
// it. WatchBatch holds one dedicated Redis connection per open stream and
// notices client cancellation or server shutdown within `watch_block`.

#include <chrono>

#include "lib/store/cancellations.h"
#include "services/sender/api/send_pipeline.h"
#include "services/sender/api/sender_api_metrics.h"
#include "services/sender/api/status_store.h"
#include "smsflow/v1/sender_service.grpc.pb.h"

namespace smsflow::sender {

struct WatchSettings {
  std::chrono::milliseconds block{500};  // XREAD BLOCK per poll
  int max_events_per_update = 500;
};

class SenderServiceImpl final : public v1::SenderService::Service {
 public:
  SenderServiceImpl(SendPipeline& pipeline, StatusStore& status,
                    store::CancellationStore& cancellations, SenderApiMetrics& metrics,
                    WatchSettings watch = {});

  grpc::Status SendMessage(grpc::ServerContext* context, const v1::SendMessageRequest* request,
                           v1::SendMessageResponse* response) override;
  grpc::Status SendBatch(grpc::ServerContext* context, const v1::SendBatchRequest* request,
                         v1::SendBatchResponse* response) override;
  grpc::Status SendBatchStream(grpc::ServerContext* context,
                               grpc::ServerReader<v1::SendBatchStreamRequest>* reader,
                               v1::SendBatchStreamResponse* response) override;
  grpc::Status GetMessage(grpc::ServerContext* context, const v1::GetMessageRequest* request,
                          v1::GetMessageResponse* response) override;
  grpc::Status WatchBatch(grpc::ServerContext* context, const v1::WatchBatchRequest* request,
                          grpc::ServerWriter<v1::WatchBatchResponse>* writer) override;
  grpc::Status CancelBatch(grpc::ServerContext* context, const v1::CancelBatchRequest* request,
                           v1::CancelBatchResponse* response) override;

 private:
  SendPipeline& pipeline_;
  StatusStore& status_;
  store::CancellationStore& cancellations_;
  SenderApiMetrics& metrics_;
  WatchSettings watch_;
};

}  // namespace smsflow::sender
