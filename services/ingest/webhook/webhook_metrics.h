#pragma once
// smsflow_ingest_webhook_* metrics: what the HTTP listener adds to the
// service-wide IngestMetrics (which count messages and receipts by
// source="webhook").

#include <prometheus/counter.h>
#include <prometheus/registry.h>

namespace smsflow::ingest::webhook {

struct WebhookMetrics {
  explicit WebhookMetrics(prometheus::Registry& registry);
  // Every HTTP answer: {route="sms"|"status"|"other", code="200"|"403"|...}.
  prometheus::Family<prometheus::Counter>& requests;
};

}  // namespace smsflow::ingest::webhook
