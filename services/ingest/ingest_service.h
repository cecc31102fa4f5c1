#pragma once
// IngestServiceImpl: the gRPC adapter of ingest. Turns RPCs into calls of the
// inbound and receipt pipelines and their outcomes into responses and status
// codes. Thread-safe (gRPC calls handlers concurrently); borrows the
// pipelines, which must outlive it.

#include "services/ingest/inbound_pipeline.h"
#include "services/ingest/ingest_metrics.h"
#include "services/ingest/receipts.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"

namespace smsflow::ingest {

struct ServiceLimits {
  int max_batch = 1000;  // items per ReceiveMessages / ReportDeliveryReceipts call
};

class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  IngestServiceImpl(InboundPipeline& inbound, ReceiptPipeline& receipts, IngestMetrics& metrics,
                    ServiceLimits limits = {});

  grpc::Status ReceiveMessage(grpc::ServerContext* context,
                              const v1::ReceiveMessageRequest* request,
                              v1::ReceiveMessageResponse* response) override;
  grpc::Status ReceiveMessages(grpc::ServerContext* context,
                               const v1::ReceiveMessagesRequest* request,
                               v1::ReceiveMessagesResponse* response) override;
  grpc::Status ReportDeliveryReceipts(grpc::ServerContext* context,
                                      const v1::ReportDeliveryReceiptsRequest* request,
                                      v1::ReportDeliveryReceiptsResponse* response) override;

 private:
  InboundPipeline& inbound_;
  ReceiptPipeline& receipts_;
  IngestMetrics& metrics_;
  ServiceLimits limits_;
};

}  // namespace smsflow::ingest
