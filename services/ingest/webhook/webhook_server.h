#pragma once
// WebhookServer: the HTTP listener for provider webhooks (cpp-httplib), a
// thin adapter from HTTP to TwilioWebhook.
//
// Routes: POST /v1/webhooks/twilio/{tenant}/sms and .../status; any other
// method on those paths is 405, any other path 404.
//
// Owns an httplib::Server, a thread that accepts connections and a pool of
// `threads` handler threads. Start() binds and returns once the listener is
// accepting; Stop() (also run by the destructor) stops accepting and waits
// for in-flight handlers to finish (each may wait for a broker
// acknowledgement), so call it before the producer is flushed. Start/Stop
// from one thread; handlers run concurrently.

#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/status.h"
#include "services/ingest/webhook/twilio_webhook.h"
#include "services/ingest/webhook/webhook_metrics.h"

namespace httplib {
class Server;
}

namespace smsflow::ingest::webhook {

struct WebhookServerOptions {
  std::string host = "0.0.0.0";
  int port = 0;  // 0 picks a free port; see port()
  // Scheme, host and optional port (and path prefix, if the ingress strips
  // one) the provider is configured with, e.g. "https://sms.example.com".
  // Signatures are checked against this + the request's raw path and query,
  // never against Host or X-Forwarded-* headers. Required.
  std::string public_base_url;
  int threads = 8;
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};
  std::chrono::seconds keep_alive_timeout{5};
  TwilioWebhookOptions twilio;
};

// INVALID_ARGUMENT naming the option when `options` cannot work.
absl::Status ValidateOptions(const WebhookServerOptions& options);

// Sets options->host and ->port from "host:port" (port 0: any free port).
// INVALID_ARGUMENT "webhook-address: ..." when it is not one.
absl::Status ParseListenAddress(std::string_view address, WebhookServerOptions* options);

class WebhookServer {
 public:
  // Borrows the pipelines, `registry` and `ingest_metrics` (the service's
  // one IngestMetrics), which must outlive it.
  WebhookServer(std::shared_ptr<const config::TenantDirectory> tenants, InboundPipeline& inbound,
                ReceiptPipeline& receipts, prometheus::Registry& registry,
                IngestMetrics& ingest_metrics, WebhookServerOptions options);
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // INVALID_ARGUMENT for bad options, UNAVAILABLE when the address cannot be
  // bound, FAILED_PRECONDITION when already started.
  absl::Status Start();
  // Idempotent.
  void Stop();
  // The bound port (after Start()).
  int port() const { return port_; }

 private:
  void Route();

  WebhookServerOptions options_;
  std::string public_base_url_;  // without a trailing '/'
  WebhookMetrics metrics_;
  TwilioWebhook twilio_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace smsflow::ingest::webhook
