#pragma once
// IngestServiceImpl: the gRPC front door for inbound messages. Validates,
// resolves the tenant from the destination number, stamps a smsflow message
// id, and answers only after the broker has acknowledged the record on
// sms.inbound.v1, so nothing acknowledged can be lost.
//
// Thread-safe (gRPC calls handlers concurrently). Borrows the producer and
// the registry, which must outlive it.

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>

#include "lib/config/tenants.h"
#include "lib/kafka/producer.h"
#include "services/ingest/inbound_validation.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"

namespace smsflow::ingest {

// smsflow_ingest_* metrics owned by this module.
struct IngestMetrics {
  explicit IngestMetrics(prometheus::Registry& registry);
  prometheus::Family<prometheus::Counter>& received;  // {source, outcome, reason}
  prometheus::Family<prometheus::Histogram>& publish_latency;
  prometheus::Family<prometheus::Counter>& produce_errors;
};

class IngestServiceImpl final : public v1::IngestService::Service {
 public:
  IngestServiceImpl(std::shared_ptr<const config::TenantDirectory> tenants,
                    kafka::Producer& producer, prometheus::Registry& registry,
                    InboundLimits limits = {});

  grpc::Status ReceiveMessage(grpc::ServerContext* context,
                              const v1::ReceiveMessageRequest* request,
                              v1::ReceiveMessageResponse* response) override;

 private:
  void Count(std::string_view outcome, std::string_view reason);

  std::shared_ptr<const config::TenantDirectory> tenants_;
  kafka::Producer& producer_;
  IngestMetrics metrics_;
  InboundLimits limits_;
};

}  // namespace smsflow::ingest
