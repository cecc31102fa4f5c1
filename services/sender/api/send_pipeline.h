#pragma once
// SendPipeline: the one path every SenderService send takes (SendMessage,
// SendBatch, SendBatchStream): validate the settings, prepare each recipient
// (render, count, check), deduplicate by idempotency key, publish the
// OutboundRequests (and their ACCEPTED/SCHEDULED DeliveryEvents) in one Kafka
// batch and only then answer. A batch costs one Redis round trip to claim its
// key, one to record its members, one Kafka batch, and one to complete.
//
// Idempotency: the claim value is the serialized response, so a repeat
// within the window returns it unchanged; a claim whose owner went silent is
// taken over with the original response and republished under the original
// ids (the gate decides each id once). A publish that failed completely
// releases the claim; a partial one leaves it for takeover.
//
// Thread-safe; borrows everything it is given. `idempotency` and `status` may
// be null (no deduplication / no immediate status record).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "lib/config/tenants.h"
#include "lib/kafka/producer.h"
#include "lib/store/idempotency.h"
#include "services/sender/api/send_rules.h"
#include "services/sender/api/sender_api_metrics.h"
#include "services/sender/api/status_store.h"
#include "services/sender/api/template.h"
#include "smsflow/v1/delivery.pb.h"
#include "smsflow/v1/sender_service.pb.h"

namespace smsflow::sender {

// Recipients of one call or chunk, prepared: one result per recipient and
// the requests (with their acceptance events) of the accepted ones.
struct PreparedBatch {
  std::string batch_id;
  std::vector<v1::SendBatchResult> results;
  std::vector<v1::OutboundRequest> requests;
  std::vector<v1::DeliveryEvent> events;  // parallel to requests
  std::vector<int> result_of;             // results index of each request
};

class SendPipeline {
 public:
  using Clock = std::function<absl::Time()>;

  SendPipeline(std::shared_ptr<const config::TenantDirectory> tenants,
               std::shared_ptr<const TemplateCatalog> templates, kafka::Producer& producer,
               store::IdempotencyStore* idempotency, StatusStore* status, SenderApiMetrics& metrics,
               SendLimits limits, Clock clock = absl::Now);

  // INVALID_ARGUMENT naming the field; UNAVAILABLE when Kafka (or, with an
  // idempotency key, Redis) is down: nothing was accepted.
  absl::StatusOr<v1::SendMessageResponse> SendMessage(const v1::SendMessageRequest& request,
                                                      const std::string& principal);
  absl::StatusOr<v1::SendBatchResponse> SendBatch(const v1::SendBatchRequest& request,
                                                  const std::string& principal);

  // One SendBatchStream call: Add each client message, then Finish. Recipients
  // are processed in chunks of limits.stream_chunk as they arrive. Not
  // thread-safe (one per call).
  class Stream {
   public:
    absl::Status Add(const v1::SendBatchStreamRequest& message);
    absl::StatusOr<v1::SendBatchStreamResponse> Finish();

   private:
    friend class SendPipeline;
    Stream(SendPipeline& pipeline, std::string principal)
        : pipeline_(pipeline), principal_(std::move(principal)) {}
    absl::Status Start(const v1::SendBatchStreamRequest& first);
    absl::Status ProcessChunk(size_t n);

    SendPipeline& pipeline_;
    std::string principal_;
    bool started_ = false;
    std::string tenant_id_;
    SendSettings settings_;
    std::string batch_key_;  // idempotency key of the stream's batch id; empty without key
    std::string batch_claim_value_;
    std::vector<v1::BatchRecipient> buffer_;
    int64_t next_index_ = 0;
    v1::SendBatchStreamResponse response_;
  };
  std::unique_ptr<Stream> OpenStream(const std::string& principal) {
    return std::unique_ptr<Stream>(new Stream(*this, principal));
  }

  const SendLimits& limits() const { return limits_; }

  // The acceptance event of a prepared request (ACCEPTED or SCHEDULED).
  static v1::DeliveryEvent AcceptanceEvent(const v1::OutboundRequest& request, absl::Time now);

 private:
  template <typename Recipients>
  PreparedBatch Prepare(const SendSettings& settings, const Recipients& recipients,
                        int64_t first_index, std::string batch_id, absl::Time now);
  // Claims `key` with `value`: nullopt to go on (owned), or the stored value
  // of a completed earlier request. *taken_over tells a takeover (then *value
  // is replaced by the original). UNAVAILABLE for in-flight or Redis down.
  absl::StatusOr<std::optional<std::string>> Claim(const std::string& key, std::string* value,
                                                   bool* taken_over);
  // Publishes requests + events; records batch members first when batch_open
  // is set (true/false = stream still open or not; nullopt = no batch).
  absl::Status Publish(const PreparedBatch& batch, const SendSettings& settings,
                       std::optional<bool> batch_open, bool* any_acked);
  void Finish(const std::string& key, const std::string& value, bool published, bool any_acked);
  void RecordStatus(const PreparedBatch& batch, const SendSettings& settings);
  void Count(const char* rpc, const PreparedBatch& batch, v1::Category category, bool replay);

  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::shared_ptr<const TemplateCatalog> templates_;
  kafka::Producer& producer_;
  store::IdempotencyStore* idempotency_;
  StatusStore* status_;
  SenderApiMetrics& metrics_;
  SendLimits limits_;
  Clock clock_;
};

// Copies ids of the original response onto a re-prepared batch after a
// takeover, so a republish uses the original message and batch ids.
void AdoptIds(const v1::SendBatchResponse& original, PreparedBatch* batch);

}  // namespace smsflow::sender
