#pragma once
// InboundPipeline: the one path every inbound message takes, whoever hands it
// over (gRPC single or batch, provider webhooks): validate, resolve the tenant
// from the destination number, authorise, deduplicate provider retries,
// publish to sms.inbound.v1 and only then report it accepted.
//
// A batch costs one Redis round trip to claim provider ids, one Kafka batch
// and one Redis round trip to complete the claims, whatever its size.
// Thread-safe; borrows everything it is given.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/config/tenants.h"
#include "lib/kafka/producer.h"
#include "lib/store/idempotency.h"
#include "services/ingest/inbound_validation.h"
#include "services/ingest/ingest_metrics.h"
#include "smsflow/v1/inbound.pb.h"
#include "smsflow/v1/ingest_service.pb.h"

namespace smsflow::ingest {

// One message as a provider or client handed it over.
struct InboundItem {
  std::string from;
  std::string to;
  std::string body;
  std::string provider;             // "twilio", "grpc", ...
  std::string provider_message_id;  // the provider's id; enables retry dedup
  std::optional<google::protobuf::Timestamp> provider_time;
  int num_media = 0;
  std::vector<std::string> media_urls;
};

struct InboundOutcome {
  v1::ReceiveOutcome outcome = v1::RECEIVE_OUTCOME_UNSPECIFIED;
  // For accepted and duplicate items: the record (a duplicate carries the
  // original message id). For items rejected after validation (destination
  // or authorisation): the normalised `from` and `to`.
  v1::InboundMessage message;
  // For rejected items: what is wrong, and the status to answer a single call
  // with (INVALID_ARGUMENT, or PERMISSION_DENIED from `authorize`).
  v1::Rejection rejection;
  absl::Status error;  // also UNAVAILABLE when the item could not be stored
  bool stored() const {
    return outcome == v1::RECEIVE_OUTCOME_ACCEPTED || outcome == v1::RECEIVE_OUTCOME_DUPLICATE;
  }
};

struct PipelineOptions {
  InboundLimits limits;
  std::string metrics_source = "grpc";  // label value
  v1::InboundSource source = v1::INBOUND_SOURCE_GRPC;
};

// Decides whether the caller may hand over messages for `tenant`.
using Authorizer = std::function<absl::Status(const config::Tenant& tenant)>;

class InboundPipeline {
 public:
  // `dedup` may be null (no retry dedup).
  InboundPipeline(std::shared_ptr<const config::TenantDirectory> tenants, kafka::Producer& producer,
                  store::IdempotencyStore* dedup, IngestMetrics& metrics, InboundLimits limits);

  std::vector<InboundOutcome> Receive(const std::vector<InboundItem>& items,
                                      v1::InboundSource source, std::string_view metrics_source,
                                      const Authorizer& authorize);

  static kafka::Record ToRecord(const v1::InboundMessage& message);
  static std::string DedupKey(const v1::InboundMessage& message);

 private:
  void Publish(std::vector<InboundOutcome*>& pending);
  void Count(std::string_view source, const InboundOutcome& o);

  std::shared_ptr<const config::TenantDirectory> tenants_;
  kafka::Producer& producer_;
  store::IdempotencyStore* dedup_;
  IngestMetrics& metrics_;
  InboundLimits limits_;
};

}  // namespace smsflow::ingest
