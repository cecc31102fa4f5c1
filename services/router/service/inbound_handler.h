#pragma once
// InboundHandler: the Kafka adapter of the router. For a batch of
// sms.inbound.v1 records it routes each message, publishes every routed
// record and auto-reply in one SendAll, and reports kDone for a message only
// once all of its records were acknowledged; otherwise kRetry, and the
// redelivered message yields the same auto-reply id (the gate drops the
// repeat). A record that cannot be routed is dead-lettered with the reason.
//
// Called on the consumer thread only; borrows the router, producer, registry
// and metrics.

#include <vector>

#include "lib/kafka/producer.h"
#include "lib/kafka/proto_handler.h"
#include "services/router/service/router_core.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::router {

class InboundHandler {
 public:
  InboundHandler(Router& router, RuleRegistry& rules, kafka::Producer& producer,
                 RouterMetrics& metrics);

  std::vector<kafka::Disposition> Handle(const kafka::ProtoBatch<v1::InboundMessage>& batch);

  // ProtoBatchHandler around Handle, for kafka::Consumer.
  kafka::BatchHandler AsBatchHandler();

 private:
  Router& router_;
  RuleRegistry& rules_;
  kafka::Producer& producer_;
  RouterMetrics& metrics_;
};

}  // namespace smsflow::router
