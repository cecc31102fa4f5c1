#pragma once
// StatusTracker: the sms.delivery.v1 consumer (group smsflow-sender-status)
// that folds every DeliveryEvent into StatusStore, whoever published it (the
// sender API, the consent gate, the dispatcher, ingest receipts). One Redis
// round trip per consumed batch; Redis away -> the whole batch is retried
// (kRetry), so no event is skipped. Events are deduplicated by event id (or,
// lacking one, by topic position), so redelivery is harmless.
//
// Stateless apart from the borrowed store and metrics; runs on the consumer
// thread.

#include <string>
#include <vector>

#include "lib/kafka/consumer.h"
#include "lib/kafka/proto_handler.h"
#include "services/sender/api/sender_api_metrics.h"
#include "services/sender/api/status_store.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::sender {

inline constexpr char kStatusGroup[] = "smsflow-sender-status";

class StatusTracker {
 public:
  StatusTracker(StatusStore& store, SenderApiMetrics& metrics);

  std::vector<kafka::Disposition> Handle(const kafka::ProtoBatch<v1::DeliveryEvent>& batch);
  // Handle() behind a decoder that dead-letters undecodable records.
  kafka::BatchHandler Handler();

  // Consumer options for `brokers`: group kStatusGroup, topic sms.delivery.v1.
  static kafka::ConsumerOptions Options(const std::string& brokers);

 private:
  StatusStore& store_;
  SenderApiMetrics& metrics_;
};

}  // namespace smsflow::sender
