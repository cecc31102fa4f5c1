#pragma once
// TwilioWebhook: the logic behind the Twilio-compatible webhook routes,
// apart from HTTP (WebhookServer adapts httplib to it; tests may call it
// directly). For each request it resolves the tenant from the path, checks
// the X-Twilio-Signature with the tenant's auth token, parses and validates
// the form, and publishes to Kafka; it answers success only after the broker
// acknowledged the record, and 503 (retry) when it did not.
//
// Thread-safe: handlers run concurrently on the server's threads. Borrows the
// tenants, producer and metrics, which must outlive it; the hooks in the
// options are called concurrently and must be thread-safe.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/config/tenants.h"
#include "lib/kafka/producer.h"
#include "services/ingest/inbound_validation.h"
#include "services/ingest/ingest_service.h"
#include "services/ingest/webhook/signature.h"
#include "services/ingest/webhook/webhook_metrics.h"

namespace smsflow::ingest::webhook {

// Dedup of provider retries (Redis SET NX with a TTL, later). Returns true the
// first time (tenant, provider message id) is claimed, false for a repeat;
// an error answers 503 so the provider retries.
using FirstSeenFn =
    std::function<absl::StatusOr<bool>(std::string_view tenant, std::string_view provider_id)>;
// Undoes a claim from FirstSeenFn when the message could not be stored, so
// the provider's retry is not mistaken for a duplicate and lost.
using ForgetSeenFn = std::function<void(std::string_view tenant, std::string_view provider_id)>;
// Maps a provider message id to the smsflow message id (the sender records
// it in Redis when it submits); nullopt when unknown.
using ResolveMessageIdFn = std::function<std::optional<std::string>(std::string_view provider_id)>;

struct TwilioWebhookOptions {
  InboundLimits limits;
  size_t max_body_bytes = 64 * 1024;  // Twilio's posts are a few KiB
  int max_media = 10;                 // Twilio allows 10 attachments per MMS
  std::chrono::seconds retry_after{5};
  FirstSeenFn first_seen;                 // nullptr: no dedup
  ForgetSeenFn forget_seen;               // nullptr: claims are not undone
  ResolveMessageIdFn resolve_message_id;  // nullptr: every receipt is unmatched
};

// A request as the HTTP layer hands it over.
struct WebhookRequest {
  std::string tenant;  // from the path
  // The URL the provider requested: public base URL + raw path and query.
  std::string url;
  std::optional<std::string> signature;  // X-Twilio-Signature, if sent
  std::string content_type;
  std::string body;
};

struct WebhookResponse {
  int status = 200;
  std::string content_type = "text/plain";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

inline constexpr std::string_view kEmptyTwiml =
    R"(<?xml version="1.0" encoding="UTF-8"?><Response></Response>)";

class TwilioWebhook {
 public:
  TwilioWebhook(std::shared_ptr<const config::TenantDirectory> tenants, kafka::Producer& producer,
                IngestMetrics& ingest_metrics, WebhookMetrics& metrics,
                TwilioWebhookOptions options);

  // POST /v1/webhooks/twilio/{tenant}/sms: an inbound message to
  // sms.inbound.v1; 200 with empty TwiML once stored.
  WebhookResponse HandleSms(const WebhookRequest& req) const;
  // POST /v1/webhooks/twilio/{tenant}/status: a delivery event to
  // sms.delivery.v1; 200 with an empty body once stored.
  WebhookResponse HandleStatus(const WebhookRequest& req) const;

  const TwilioWebhookOptions& options() const { return options_; }

 private:
  struct Authenticated {
    const config::Tenant* tenant = nullptr;
    FormParams params;
  };
  struct Rejected {
    WebhookResponse response;
    std::string reason;  // bounded metric label
  };
  // Tenant, token, signature presence, content type, size, form syntax and
  // signature validity, in that order.
  std::variant<Authenticated, Rejected> Authenticate(const WebhookRequest& req,
                                                     std::string_view route) const;
  void CountInbound(std::string_view outcome, std::string_view reason) const;
  void CountReceipt(std::string_view outcome, std::string_view reason) const;
  WebhookResponse Unavailable(std::string_view what) const;

  std::shared_ptr<const config::TenantDirectory> tenants_;
  kafka::Producer& producer_;
  IngestMetrics& ingest_metrics_;
  WebhookMetrics& metrics_;
  TwilioWebhookOptions options_;
};

}  // namespace smsflow::ingest::webhook
