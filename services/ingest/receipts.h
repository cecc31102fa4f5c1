#pragma once
// Delivery receipts reported by providers: each becomes a DeliveryEvent on
// sms.delivery.v1, matched to the smsflow message through the provider id
// index (written by the sender when it submits). A receipt for an unknown id
// is kept on the topic with `unmatched` set, never dropped. A batch costs one
// Redis round trip and one Kafka batch. Thread-safe; borrows what it is given.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/delivery/delivery_events.h"
#include "lib/kafka/producer.h"
#include "lib/store/provider_ids.h"
#include "services/ingest/ingest_metrics.h"
#include "smsflow/v1/delivery.pb.h"
#include "smsflow/v1/ingest_service.pb.h"

namespace smsflow::ingest {

using delivery::MapReceiptState;
using delivery::StatusMapping;

struct ReceiptOutcome {
  v1::DeliveryReceiptResult result;
  v1::DeliveryEvent event;  // what was published, for accepted receipts
  absl::Status error;       // non-OK when rejected (INVALID_ARGUMENT...) or not stored
};

class ReceiptPipeline {
 public:
  ReceiptPipeline(kafka::Producer& producer, store::ProviderIdIndex& index, IngestMetrics& metrics);

  // `confined_tenant`: the only tenant the caller may report for (nullopt:
  // any). If matching or publishing fails, every not-rejected item carries
  // UNAVAILABLE and nothing of this call should be treated as stored.
  std::vector<ReceiptOutcome> Report(const std::vector<v1::DeliveryReceipt>& receipts,
                                     std::string_view metrics_source,
                                     const std::optional<std::string>& confined_tenant);

  // The part shared by Report() and provider status callbacks (webhooks):
  // `events` carry what the provider said (provider, provider_message_id,
  // status, reason, receipt or provider status, error code, numbers, part
  // number if known). Stamps event id, time and reporter, matches each to its
  // message through the index (message id, tenant, part count; `unmatched`
  // and the confined tenant when unknown) and publishes them as one batch.
  // A match that belongs to another tenant than `confined_tenant` is
  // rejected (field "provider_message_id"). If Redis or Kafka is away every
  // not-rejected event carries UNAVAILABLE: nothing is reported unmatched
  // because the index could not be read. Counts smsflow_ingest_receipts_total.
  std::vector<ReceiptOutcome> MatchAndPublish(std::vector<v1::DeliveryEvent> events,
                                              std::string_view metrics_source,
                                              const std::optional<std::string>& confined_tenant);

  // Publishes finished events as one batch; UNAVAILABLE if any was not acked.
  absl::Status PublishEvents(const std::vector<v1::DeliveryEvent>& events);

 private:
  kafka::Producer& producer_;
  store::ProviderIdIndex& index_;
  IngestMetrics& metrics_;
};

}  // namespace smsflow::ingest
