#pragma once
// GateConsumer: the thin Kafka adapter of the gate. Consumes
// sms.outbound.requested.v1 in group smsflow-consent-gate, decodes each
// record (undecodable ones are dead-lettered by ProtoBatchHandler) and hands
// the batch to the GatePipeline; a message is committed only when its
// outputs are acknowledged (kDone), retried when Redis or Kafka failed, and
// dead-lettered when it cannot be decided at all (no message id or tenant).
//
// Owns one kafka::Consumer (its poll thread runs the pipeline). Start/Stop
// from the owner's thread; the pipeline and the DLQ producer must outlive it.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "lib/kafka/consumer.h"
#include "lib/kafka/producer.h"
#include "services/consent/gate/gate_pipeline.h"

namespace smsflow::consent::gate {

inline constexpr char kGateGroupId[] = "smsflow-consent-gate";

// Options with the gate's topic and group; callers add brokers and extras.
kafka::ConsumerOptions GateConsumerOptions(const std::string& brokers);

class GateConsumer {
 public:
  GateConsumer(kafka::ConsumerOptions options, GatePipeline& pipeline,
               kafka::Producer& dlq_producer);

  absl::Status Start() { return consumer_->Start(); }
  void Stop() { consumer_->Stop(); }  // commits what is done
  bool Healthy() const { return consumer_->Healthy(); }
  kafka::ConsumerStats Stats() const { return consumer_->Stats(); }

  // The batch handler, exposed for tests that feed it records directly.
  static kafka::BatchHandler Handler(GatePipeline& pipeline);

 private:
  std::unique_ptr<kafka::Consumer> consumer_;
};

}  // namespace smsflow::consent::gate
