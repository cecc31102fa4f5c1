#include "services/ingest/webhook/webhook_metrics.h"

namespace smsflow::ingest::webhook {

WebhookMetrics::WebhookMetrics(prometheus::Registry& registry)
    : requests(prometheus::BuildCounter()
                   .Name("smsflow_ingest_webhook_requests_total")
                   .Help("Provider webhook HTTP requests by route and response code")
                   .Register(registry)) {}

}  // namespace smsflow::ingest::webhook
