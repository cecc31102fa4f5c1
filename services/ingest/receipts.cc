#include "services/ingest/receipts.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "lib/kafka/record.h"
#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "lib/metrics/metrics_server.h"
#include "lib/sms/message_id.h"
#include "services/ingest/inbound_validation.h"

namespace smsflow::ingest {

ReceiptPipeline::ReceiptPipeline(kafka::Producer& producer, store::ProviderIdIndex& index,
                                 IngestMetrics& metrics)
    : producer_(producer), index_(index), metrics_(metrics) {}

absl::Status ReceiptPipeline::PublishEvents(const std::vector<v1::DeliveryEvent>& events) {
  if (events.empty()) return absl::OkStatus();
  std::vector<kafka::Record> records;
  records.reserve(events.size());
  for (const auto& e : events) records.push_back(delivery::DeliveryEventRecord(e));
  const auto start = std::chrono::steady_clock::now();
  auto results = producer_.SendAll(std::move(records));
  metrics_.publish_latency.Add({{"topic", "delivery"}}, metrics::LatencyBuckets())
      .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (const auto& r : results) {
    if (!r.ok()) {
      metrics_.produce_errors.Add({{"topic", "delivery"}}).Increment(results.size());
      return absl::UnavailableError(
          absl::StrCat("receipts not stored, retry: ", r.status().message()));
    }
  }
  return absl::OkStatus();
}

namespace {

// smsflow_ingest_receipts_total for one source.
class ReceiptCounter {
 public:
  ReceiptCounter(IngestMetrics& metrics, std::string_view source)
      : metrics_(metrics), source_(source) {}
  void operator()(std::string_view outcome, std::string_view reason) const {
    metrics_.receipts
        .Add({{"source", source_},
              {"outcome", std::string(outcome)},
              {"reason", std::string(reason)}})
        .Increment();
  }

 private:
  IngestMetrics& metrics_;
  std::string source_;
};

void Reject(ReceiptOutcome& o, const FieldError& e, const ReceiptCounter& count) {
  o.result.set_outcome(v1::RECEIVE_OUTCOME_REJECTED);
  *o.result.mutable_rejection() = e.ToRejection();
  o.error = e.ToStatus();
  count("rejected", e.field);
}

}  // namespace

std::vector<ReceiptOutcome> ReceiptPipeline::Report(
    const std::vector<v1::DeliveryReceipt>& receipts, std::string_view metrics_source,
    const std::optional<std::string>& confined_tenant) {
  std::vector<ReceiptOutcome> out(receipts.size());
  const ReceiptCounter count(metrics_, metrics_source);
  std::vector<size_t> valid;
  std::vector<v1::DeliveryEvent> events;
  for (size_t i = 0; i < receipts.size(); ++i) {
    const v1::DeliveryReceipt& r = receipts[i];
    const StatusMapping m = MapReceiptState(r.state());
    if (r.provider().empty()) {
      Reject(out[i], {"provider", v1::REASON_CODE_INVALID_FIELD, "required"}, count);
    } else if (r.provider_message_id().empty()) {
      Reject(out[i], {"provider_message_id", v1::REASON_CODE_INVALID_FIELD, "required"}, count);
    } else if (m.status == v1::MESSAGE_STATUS_UNSPECIFIED) {
      Reject(out[i], {"state", v1::REASON_CODE_INVALID_FIELD, "must be a receipt state"}, count);
    } else if (r.part_number() < 0) {
      Reject(out[i], {"part_number", v1::REASON_CODE_INVALID_FIELD, "must not be negative"}, count);
    } else {
      valid.push_back(i);
      v1::DeliveryEvent& e = events.emplace_back();
      e.set_status(m.status);
      e.set_reason_code(m.reason);
      e.set_description(r.error_description());
      e.set_carrier_error_code(r.error_code());
      e.set_receipt_state(r.state());
      e.set_provider(r.provider());
      e.set_provider_message_id(r.provider_message_id());
      e.set_part_number(r.part_number());
      if (r.has_done_time()) *e.mutable_provider_time() = r.done_time();
      e.set_to(r.to());
    }
  }
  if (!valid.empty()) {
    auto matched = MatchAndPublish(std::move(events), metrics_source, confined_tenant);
    for (size_t j = 0; j < valid.size(); ++j) out[valid[j]] = std::move(matched[j]);
  }
  for (size_t i = 0; i < out.size(); ++i) out[i].result.set_index(static_cast<int32_t>(i));
  return out;
}

std::vector<ReceiptOutcome> ReceiptPipeline::MatchAndPublish(
    std::vector<v1::DeliveryEvent> events, std::string_view metrics_source,
    const std::optional<std::string>& confined_tenant) {
  std::vector<ReceiptOutcome> out(events.size());
  if (events.empty()) return out;
  const ReceiptCounter count(metrics_, metrics_source);
  std::vector<store::ProviderRef> refs;
  refs.reserve(events.size());
  for (const auto& e : events) refs.push_back({e.provider(), e.provider_message_id()});
  auto matches = index_.LookupAll(refs);
  if (!matches.ok()) {
    // Never guess "unmatched" because the index could not be read: the
    // provider retries and the receipt is matched then.
    metrics_.redis_errors.Add({{"operation", "receipt_match"}}).Increment();
    for (auto& o : out) {
      o.error = absl::UnavailableError(
          absl::StrCat("receipt matching unavailable, retry: ", matches.status().message()));
      count("failed", "redis_unavailable");
    }
    return out;
  }
  const auto now = google::protobuf::util::TimeUtil::GetCurrentTime();
  std::vector<v1::DeliveryEvent> publishing;
  std::vector<size_t> published;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& match = (*matches)[i];
    if (match.has_value() && confined_tenant.has_value() && match->tenant_id != *confined_tenant) {
      Reject(out[i],
             {"provider_message_id", v1::REASON_CODE_SENDER_NOT_ALLOWED,
              "belongs to a message of another tenant"},
             count);
      continue;
    }
    v1::DeliveryEvent& e = out[i].event;
    e = std::move(events[i]);
    e.set_event_id(sms::NewMessageId());
    if (match.has_value()) {
      e.set_message_id(match->message_id);
      e.set_tenant_id(match->tenant_id);
      e.set_part_count(match->part_count);
      if (e.part_number() == 0) e.set_part_number(match->part_number);
    } else {
      e.set_unmatched(true);
      if (confined_tenant.has_value()) e.set_tenant_id(*confined_tenant);
    }
    *e.mutable_event_time() = now;
    e.set_reporter("ingest");
    publishing.push_back(e);
    published.push_back(i);
  }
  const absl::Status st = PublishEvents(publishing);
  for (size_t i : published) {
    ReceiptOutcome& o = out[i];
    if (!st.ok()) {
      o.error = st;
      count("failed", "kafka_unavailable");
      continue;
    }
    o.result.set_outcome(v1::RECEIVE_OUTCOME_ACCEPTED);
    o.result.set_message_id(o.event.message_id());
    o.result.set_unmatched(o.event.unmatched());
    o.result.set_event_id(o.event.event_id());
    count(o.event.unmatched() ? "unmatched" : "matched", "");
    if (o.event.unmatched()) {
      log::Warn("receipt for unknown provider id kept as unmatched",
                {{"provider", o.event.provider()},
                 {"provider_message_id", o.event.provider_message_id()}});
    }
  }
  return out;
}

}  // namespace smsflow::ingest
