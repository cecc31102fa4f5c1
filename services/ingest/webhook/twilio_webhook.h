#pragma once
// TwilioWebhook: the logic behind the Twilio-compatible webhook routes,
// apart from HTTP (WebhookServer adapts httplib to it; tests may call it
// directly). For each request it resolves the tenant from the path, checks
// the X-Twilio-Signature with the tenant's auth token and parses the form;
// then it hands over to the pipelines every intake path shares: inbound SMS
// to InboundPipeline (validation, dedup of provider retries, publish), status
// callbacks to ReceiptPipeline (matching through the provider id index,
// publish). It answers success only after the broker acknowledged the
// record, and 503 (retry) when it did not.
//
// Metrics: what is refused before a pipeline sees it (tenant, signature,
// form) is counted here in smsflow_ingest_messages_total /
// smsflow_ingest_receipts_total with source="webhook"; everything else is
// counted once, by the pipeline.
//
// Thread-safe: handlers run concurrently on the server's threads. Borrows the
// tenants, pipelines and metrics, which must outlive it.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "lib/config/tenants.h"
#include "services/ingest/inbound_pipeline.h"
#include "services/ingest/ingest_metrics.h"
#include "services/ingest/receipts.h"
#include "services/ingest/webhook/signature.h"

namespace smsflow::ingest::webhook {

struct TwilioWebhookOptions {
  size_t max_body_bytes = 64 * 1024;  // Twilio's posts are a few KiB
  int max_media = 10;                 // Twilio allows 10 attachments per MMS
  std::chrono::seconds retry_after{5};
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
  TwilioWebhook(std::shared_ptr<const config::TenantDirectory> tenants, InboundPipeline& inbound,
                ReceiptPipeline& receipts, IngestMetrics& metrics, TwilioWebhookOptions options);

  // POST /v1/webhooks/twilio/{tenant}/sms: an inbound message to
  // sms.inbound.v1; 200 with empty TwiML once stored (or a duplicate of a
  // stored one).
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
  void CountInbound(std::string_view reason) const;
  void CountReceipt(std::string_view reason) const;
  WebhookResponse Unavailable(std::string_view what) const;

  std::shared_ptr<const config::TenantDirectory> tenants_;
  InboundPipeline& inbound_;
  ReceiptPipeline& receipts_;
  IngestMetrics& metrics_;
  TwilioWebhookOptions options_;
};

}  // namespace smsflow::ingest::webhook
