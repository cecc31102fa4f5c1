#include "services/consent/gate/gate_consumer.h"

#include "lib/kafka/proto_handler.h"
#include "lib/kafka/topics.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate {

kafka::ConsumerOptions GateConsumerOptions(const std::string& brokers) {
  kafka::ConsumerOptions options;
  options.brokers = brokers;
  options.group_id = kGateGroupId;
  options.topics = {std::string(kafka::topics::kOutboundRequested)};
  options.client_id = "smsflow-consent-gate";
  return options;
}

kafka::BatchHandler GateConsumer::Handler(GatePipeline& pipeline) {
  return kafka::ProtoBatchHandler<v1::OutboundRequest>(
      [&pipeline](const kafka::ProtoBatch<v1::OutboundRequest>& batch) {
        std::vector<GateItem> items;
        items.reserve(batch.size());
        for (const auto& [message, request] : batch) items.push_back({request});
        const std::vector<ItemResult> results = pipeline.Process(items);
        std::vector<kafka::Disposition> out;
        out.reserve(results.size());
        for (const ItemResult& r : results) {
          switch (r.outcome) {
            case ItemOutcome::kDone:
              out.push_back({kafka::Outcome::kDone, ""});
              break;
            case ItemOutcome::kRetry:
              out.push_back({kafka::Outcome::kRetry, r.reason});
              break;
            case ItemOutcome::kInvalid:
              out.push_back({kafka::Outcome::kDeadLetter, r.reason});
              break;
          }
        }
        return out;
      });
}

GateConsumer::GateConsumer(kafka::ConsumerOptions options, GatePipeline& pipeline,
                           kafka::Producer& dlq_producer)
    : consumer_(std::make_unique<kafka::Consumer>(std::move(options), Handler(pipeline),
                                                  &dlq_producer)) {}

}  // namespace smsflow::consent::gate
