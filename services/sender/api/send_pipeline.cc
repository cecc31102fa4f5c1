#include "services/sender/api/send_pipeline.h"

#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/delivery/delivery_events.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/record.h"
#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "lib/sms/message_id.h"
#include "services/sender/api/status_rules.h"

namespace smsflow::sender {
namespace {

kafka::Record RequestRecord(const v1::OutboundRequest& r) {
  // One conversation (tenant + recipient) stays in order on one partition.
  return kafka::ProtoRecord(kafka::topics::kOutboundRequested,
                            absl::StrCat(r.tenant_id(), "|", r.to()), r);
}

std::string CategoryLabel(v1::Category c) {
  if (!v1::Category_IsValid(c) || c == v1::CATEGORY_UNSPECIFIED) return "unspecified";
  return absl::AsciiStrToLower(v1::Category_Name(c).substr(sizeof("CATEGORY_") - 1));
}

}  // namespace

SendPipeline::SendPipeline(std::shared_ptr<const config::TenantDirectory> tenants,
                           std::shared_ptr<const TemplateCatalog> templates,
                           kafka::Producer& producer, store::IdempotencyStore* idempotency,
                           StatusStore* status, SenderApiMetrics& metrics, SendLimits limits,
                           Clock clock)
    : tenants_(std::move(tenants)),
      templates_(templates ? std::move(templates) : std::make_shared<TemplateCatalog>()),
      producer_(producer),
      idempotency_(idempotency),
      status_(status),
      metrics_(metrics),
      limits_(std::move(limits)),
      clock_(std::move(clock)) {}

v1::DeliveryEvent SendPipeline::AcceptanceEvent(const v1::OutboundRequest& r, absl::Time now) {
  v1::DeliveryEvent e;
  e.set_event_id(sms::NewMessageId());
  e.set_message_id(r.message_id());
  e.set_tenant_id(r.tenant_id());
  e.set_status(InitialStatus(r));
  *e.mutable_event_time() = ToProto(now);
  e.set_reporter("sender");
  e.set_batch_id(r.batch_id());
  e.set_status_callback_tag(r.status_callback_tag());
  e.set_to(r.to());
  e.set_from(r.from());
  e.set_category(r.category());
  e.set_segments(r.segments());
  e.set_part_count(r.segments());
  e.set_sender_scope(r.sender_scope());
  if (r.has_send_time()) *e.mutable_next_attempt_time() = r.send_time();
  return e;
}

template <typename Recipients>
PreparedBatch SendPipeline::Prepare(const SendSettings& settings, const Recipients& recipients,
                                    int64_t first_index, std::string batch_id, absl::Time now) {
  PreparedBatch b;
  b.batch_id = std::move(batch_id);
  b.results.reserve(recipients.size());
  int64_t index = first_index;
  for (const v1::BatchRecipient& r : recipients) {
    v1::SendBatchResult& res = b.results.emplace_back();
    res.set_index(static_cast<int32_t>(index++));
    Problem problem;
    auto req = PrepareRecipient(settings, r, limits_, &problem);
    if (!req.ok()) {
      res.set_to(r.to());
      res.set_status(v1::MESSAGE_STATUS_REJECTED);
      *res.mutable_rejection() = problem.ToRejection();
      continue;
    }
    req->set_batch_id(b.batch_id);
    res.set_to(req->to());
    res.set_message_id(req->message_id());
    res.set_status(InitialStatus(*req));
    res.set_encoding(req->encoding());
    res.set_segments(req->segments());
    b.events.push_back(AcceptanceEvent(*req, now));
    b.requests.push_back(*std::move(req));
    b.result_of.push_back(static_cast<int>(b.results.size() - 1));
  }
  return b;
}

void AdoptIds(const v1::SendBatchResponse& original, PreparedBatch* b) {
  b->batch_id = original.batch_id();
  for (size_t j = 0; j < b->requests.size(); ++j) {
    const int i = b->result_of[j];
    v1::OutboundRequest& req = b->requests[j];
    req.set_batch_id(b->batch_id);
    b->events[j].set_batch_id(b->batch_id);
    if (i < original.results_size() && !original.results(i).message_id().empty()) {
      req.set_message_id(original.results(i).message_id());
      b->events[j].set_message_id(req.message_id());
      b->results[i].set_message_id(req.message_id());
    }
  }
}

absl::StatusOr<std::optional<std::string>> SendPipeline::Claim(const std::string& key,
                                                               std::string* value,
                                                               bool* taken_over) {
  *taken_over = false;
  if (idempotency_ == nullptr) return std::nullopt;
  auto results = idempotency_->ClaimAll({{key, *value}});
  if (!results.ok()) {
    metrics_.redis_errors.Add({{"operation", "idempotency_claim"}}).Increment();
    return absl::UnavailableError(absl::StrCat("idempotency store unavailable; retry: ",
                                               std::string(results.status().message())));
  }
  const store::ClaimResult& r = (*results)[0];
  switch (r.kind) {
    case store::ClaimResult::Kind::kNew:
      return std::nullopt;
    case store::ClaimResult::Kind::kTakenOver:
      *taken_over = true;
      *value = r.value;
      return std::nullopt;
    case store::ClaimResult::Kind::kDuplicate:
      return r.value;
    case store::ClaimResult::Kind::kInFlight:
      break;
  }
  return absl::UnavailableError(
      "idempotency_key: an earlier request with this key is still in progress; retry");
}

void SendPipeline::Finish(const std::string& key, const std::string& value, bool published,
                          bool any_acked) {
  if (idempotency_ == nullptr || key.empty()) return;
  absl::Status st;
  if (published) {
    st = idempotency_->CompleteAll({{key, value}});
  } else if (!any_acked) {
    st = idempotency_->ReleaseAll({{key, value}});
  }
  // Best effort: an unfinished claim is taken over later with the same value.
  if (!st.ok()) metrics_.redis_errors.Add({{"operation", "idempotency_finish"}}).Increment();
}

absl::Status SendPipeline::Publish(const PreparedBatch& b, const SendSettings& settings,
                                   std::optional<bool> batch_open, bool* any_acked) {
  *any_acked = false;
  std::vector<std::string> ids;
  ids.reserve(b.requests.size());
  for (const auto& r : b.requests) ids.push_back(r.message_id());
  if (batch_open.has_value() && status_ != nullptr) {
    // Members first, so a watcher's total is right from the first event.
    if (auto st = status_->RecordBatch(b.batch_id, settings.tenant->id, ids, *batch_open);
        !st.ok()) {
      metrics_.redis_errors.Add({{"operation", "batch_record"}}).Increment();
      log::Warn("batch membership not recorded", {{"batch_id", b.batch_id}, {"status", st}});
    }
  }
  if (b.requests.empty()) return absl::OkStatus();
  std::vector<kafka::Record> records;
  records.reserve(2 * b.requests.size());
  for (size_t j = 0; j < b.requests.size(); ++j) {
    records.push_back(RequestRecord(b.requests[j]));
    records.push_back(delivery::DeliveryEventRecord(b.events[j]));
  }
  const auto start = std::chrono::steady_clock::now();
  auto results = producer_.SendAll(std::move(records));
  metrics_.publish_latency.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  absl::Status first_error;
  for (size_t k = 0; k < results.size(); ++k) {
    if (results[k].ok()) {
      *any_acked = true;
      continue;
    }
    const bool request = k % 2 == 0;
    metrics_.produce_errors
        .Add({{"topic", std::string(request ? kafka::topics::kOutboundRequested
                                            : kafka::topics::kDelivery)}})
        .Increment();
    if (first_error.ok()) first_error = results[k].status();
  }
  if (first_error.ok()) return absl::OkStatus();
  if (!*any_acked && batch_open.has_value() && status_ != nullptr) {
    (void)status_->ForgetMembers(b.batch_id, ids);
  }
  log::Warn(
      "outbound requests not published",
      {{"tenant", settings.tenant->id}, {"count", b.requests.size()}, {"status", first_error}});
  return absl::UnavailableError(absl::StrCat("kafka unavailable, nothing was accepted; retry: ",
                                             std::string(first_error.message())));
}

void SendPipeline::RecordStatus(const PreparedBatch& b, const SendSettings& settings) {
  if (status_ == nullptr || b.requests.empty()) return;
  std::vector<StatusUpdate> updates;
  updates.reserve(b.requests.size());
  for (size_t j = 0; j < b.requests.size(); ++j) {
    updates.push_back({b.events[j], StatusStore::FactsOf(b.requests[j], settings.sender_pool)});
  }
  // Best effort: the tracker folds the same events (same ids) from Kafka.
  auto results = status_->ApplyAll(updates);
  if (!results.ok()) {
    metrics_.redis_errors.Add({{"operation", "status_record"}}).Increment();
    return;
  }
  for (const ApplyResult& r : *results) {
    if (r.changed()) metrics_.transitions.Add({{"status", StatusLabel(r.status)}}).Increment();
  }
}

void SendPipeline::Count(const char* rpc, const PreparedBatch& b, v1::Category category,
                         bool replay) {
  const std::string cat = CategoryLabel(category);
  int64_t accepted = 0;
  std::map<std::string, int64_t> rejected;
  for (const auto& r : b.results) {
    if (r.status() == v1::MESSAGE_STATUS_REJECTED) {
      ++rejected[ReasonLabel(r.rejection().reason_code())];
    } else {
      ++accepted;
    }
  }
  if (accepted > 0) {
    metrics_.messages
        .Add({{"rpc", rpc},
              {"outcome", replay ? "replayed" : "accepted"},
              {"reason", ""},
              {"category", cat}})
        .Increment(static_cast<double>(accepted));
  }
  for (const auto& [reason, n] : rejected) {
    metrics_.messages
        .Add({{"rpc", rpc}, {"outcome", "rejected"}, {"reason", reason}, {"category", cat}})
        .Increment(static_cast<double>(n));
  }
}

absl::StatusOr<v1::SendMessageResponse> SendPipeline::SendMessage(
    const v1::SendMessageRequest& request, const std::string& principal) {
  const absl::Time now = clock_();
  Problem problem;
  auto settings = ValidateSettings(request.tenant_id(), SettingsOf(request), *tenants_, *templates_,
                                   limits_, now, "", &problem);
  if (!settings.ok()) return settings.status();
  settings->inbound_message_id = request.inbound_message_id();
  settings->requested_by = principal;
  std::vector<v1::BatchRecipient> one = {RecipientOf(request)};
  PreparedBatch b = Prepare(*settings, one, 0, "", now);
  if (b.requests.empty()) {
    Count("send_message", b, settings->category, false);
    const v1::Rejection& rej = b.results[0].rejection();
    return absl::InvalidArgumentError(absl::StrCat(rej.field(), ": ", rej.description()));
  }
  const v1::OutboundRequest& req = b.requests[0];
  v1::SendMessageResponse response;
  response.set_message_id(req.message_id());
  response.set_status(InitialStatus(req));
  response.set_encoding(req.encoding());
  response.set_segments(req.segments());
  response.set_sender_scope(req.sender_scope());
  *response.mutable_accept_time() = req.request_time();
  *response.mutable_expire_time() = req.expire_time();

  std::string key, value = response.SerializeAsString();
  if (!settings->idempotency_key.empty()) {
    key = absl::StrCat("m|", settings->tenant->id, "|", settings->idempotency_key);
    bool taken_over = false;
    auto stored = Claim(key, &value, &taken_over);
    if (!stored.ok()) return stored.status();
    if (stored->has_value() || taken_over) {
      v1::SendMessageResponse original;
      if (!original.ParseFromString(stored->has_value() ? **stored : value)) {
        return absl::InternalError("idempotency_key: stored response is unreadable");
      }
      if (stored->has_value()) {
        original.set_idempotent_replay(true);
        Count("send_message", b, settings->category, true);
        return original;
      }
      // Takeover: republish under the original id (the gate decides it once).
      b.requests[0].set_message_id(original.message_id());
      b.events[0].set_message_id(original.message_id());
      response = original;
    }
  }
  bool any_acked = false;
  absl::Status st = Publish(b, *settings, std::nullopt, &any_acked);
  Finish(key, value, st.ok(), any_acked);
  if (!st.ok()) return st;
  RecordStatus(b, *settings);
  Count("send_message", b, settings->category, false);
  return response;
}

absl::StatusOr<v1::SendBatchResponse> SendPipeline::SendBatch(const v1::SendBatchRequest& request,
                                                              const std::string& principal) {
  const absl::Time now = clock_();
  const int n = request.recipients_size();
  if (n == 0) return absl::InvalidArgumentError("recipients: at least one is required");
  if (n > limits_.max_batch) {
    return absl::InvalidArgumentError(absl::StrCat("recipients: ", n, " is over the limit of ",
                                                   limits_.max_batch,
                                                   " per call; use SendBatchStream"));
  }
  if (!request.has_settings()) return absl::InvalidArgumentError("settings: required");
  auto settings = ValidateSettings(request.tenant_id(), request.settings(), *tenants_, *templates_,
                                   limits_, now, "settings.");
  if (!settings.ok()) return settings.status();
  settings->requested_by = principal;
  metrics_.batch_size
      .Add({{"rpc", "send_batch"}},
           prometheus::Histogram::BucketBoundaries{1, 10, 100, 500, 1000, 2500, 5000, 10000})
      .Observe(n);
  PreparedBatch b = Prepare(*settings, request.recipients(), 0, sms::NewMessageId(), now);
  v1::SendBatchResponse response;
  response.set_batch_id(b.batch_id);
  for (const auto& r : b.results) *response.add_results() = r;
  response.set_accepted_count(static_cast<int32_t>(b.requests.size()));
  response.set_rejected_count(n - response.accepted_count());

  std::string key, value = response.SerializeAsString();
  if (!settings->idempotency_key.empty()) {
    key = absl::StrCat("b|", settings->tenant->id, "|", settings->idempotency_key);
    bool taken_over = false;
    auto stored = Claim(key, &value, &taken_over);
    if (!stored.ok()) return stored.status();
    if (stored->has_value() || taken_over) {
      v1::SendBatchResponse original;
      if (!original.ParseFromString(stored->has_value() ? **stored : value)) {
        return absl::InternalError("idempotency_key: stored response is unreadable");
      }
      if (stored->has_value()) {
        original.set_idempotent_replay(true);
        Count("send_batch", b, settings->category, true);
        return original;
      }
      AdoptIds(original, &b);
      response = original;
    }
  }
  bool any_acked = false;
  absl::Status st = Publish(b, *settings, /*batch_open=*/false, &any_acked);
  Finish(key, value, st.ok(), any_acked);
  if (!st.ok()) return st;
  RecordStatus(b, *settings);
  Count("send_batch", b, settings->category, false);
  return response;
}

}  // namespace smsflow::sender
