#include "services/ingest/inbound_pipeline.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/record.h"
#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "lib/metrics/metrics_server.h"
#include "lib/sms/message_id.h"

namespace smsflow::ingest {
namespace {

v1::Encoding ToProto(sms::Encoding e) {
  return e == sms::Encoding::kGsm7 ? v1::ENCODING_GSM7 : v1::ENCODING_UCS2;
}

void Reject(InboundOutcome& o, FieldError e, absl::Status status = absl::OkStatus()) {
  o.outcome = v1::RECEIVE_OUTCOME_REJECTED;
  o.error = status.ok() ? e.ToStatus() : status;
  o.rejection = e.ToRejection();
}

std::string ReasonLabel(const InboundOutcome& o) {
  if (o.outcome == v1::RECEIVE_OUTCOME_REJECTED) {
    std::string name = v1::ReasonCode_Name(o.rejection.reason_code());
    return absl::AsciiStrToLower(name.substr(sizeof("REASON_CODE_") - 1));
  }
  if (!o.stored()) return "not_stored";
  return "";
}

std::string OutcomeLabel(const InboundOutcome& o) {
  switch (o.outcome) {
    case v1::RECEIVE_OUTCOME_ACCEPTED:
      return "accepted";
    case v1::RECEIVE_OUTCOME_DUPLICATE:
      return "duplicate";
    case v1::RECEIVE_OUTCOME_REJECTED:
      return "rejected";
    default:
      return "failed";
  }
}

}  // namespace

InboundPipeline::InboundPipeline(std::shared_ptr<const config::TenantDirectory> tenants,
                                 kafka::Producer& producer, store::IdempotencyStore* dedup,
                                 IngestMetrics& metrics, InboundLimits limits)
    : tenants_(std::move(tenants)),
      producer_(producer),
      dedup_(dedup),
      metrics_(metrics),
      limits_(limits) {}

kafka::Record InboundPipeline::ToRecord(const v1::InboundMessage& message) {
  // One conversation (tenant + customer) stays in order on one partition.
  return kafka::ProtoRecord(kafka::topics::kInbound,
                            absl::StrCat(message.tenant_id(), "|", message.from()), message);
}

std::string InboundPipeline::DedupKey(const v1::InboundMessage& message) {
  return absl::StrCat(message.tenant_id(), "|", message.provider(), "|",
                      message.provider_message_id());
}

std::vector<InboundOutcome> InboundPipeline::Receive(const std::vector<InboundItem>& items,
                                                     v1::InboundSource source,
                                                     std::string_view metrics_source,
                                                     const Authorizer& authorize) {
  std::vector<InboundOutcome> out(items.size());
  const auto now = google::protobuf::util::TimeUtil::GetCurrentTime();
  std::vector<size_t> pending;  // valid items, in order
  for (size_t i = 0; i < items.size(); ++i) {
    const InboundItem& item = items[i];
    InboundOutcome& o = out[i];
    FieldError fe;
    const bool to_known = tenants_->FindNumber(item.to).has_value();
    auto valid =
        ValidateInbound({item.from, item.to, item.body, item.num_media, to_known}, limits_, &fe);
    if (!valid.ok()) {
      Reject(o, fe);
      continue;
    }
    // Kept on a rejection too, so an adapter can name the number it refused.
    o.message.set_from(valid->from);
    o.message.set_to(valid->to);
    const auto owner = tenants_->FindNumber(valid->to);
    if (!owner.has_value()) {
      Reject(o, {"to", v1::REASON_CODE_UNKNOWN_DESTINATION,
                 absl::StrCat(valid->to, " is not a number of any tenant")});
      continue;
    }
    if (authorize) {
      if (absl::Status st = authorize(*owner->tenant); !st.ok()) {
        Reject(o, {"to", v1::REASON_CODE_SENDER_NOT_ALLOWED, std::string(st.message())}, st);
        continue;
      }
    }
    v1::InboundMessage& msg = o.message;
    msg.set_message_id(sms::NewMessageId());
    msg.set_tenant_id(owner->tenant->id);
    msg.set_sender_scope(owner->number->scope);
    msg.set_body(item.body);
    msg.set_encoding(ToProto(valid->segments.encoding));
    msg.set_segments(valid->segments.segments);
    msg.set_provider(item.provider.empty() ? std::string(metrics_source) : item.provider);
    msg.set_provider_message_id(item.provider_message_id);
    *msg.mutable_received_time() = now;
    if (item.provider_time.has_value()) *msg.mutable_provider_time() = *item.provider_time;
    msg.set_source(source);
    msg.set_num_media(item.num_media);
    for (const auto& url : item.media_urls) msg.add_media_urls(url);
    o.outcome = v1::RECEIVE_OUTCOME_ACCEPTED;  // provisional: not stored yet
    pending.push_back(i);
  }

  // Provider retries: a provider id seen before (in this batch or within the
  // dedup window) is answered as a duplicate of the first and published once.
  std::unordered_map<std::string, size_t> first_of_key;
  std::vector<std::pair<size_t, size_t>> in_batch_dups;  // (dup, first)
  std::vector<store::Claim> claims;
  std::vector<size_t> claimed;
  std::vector<size_t> to_publish;
  for (size_t i : pending) {
    const v1::InboundMessage& msg = out[i].message;
    if (dedup_ == nullptr || msg.provider_message_id().empty()) {
      to_publish.push_back(i);
      continue;
    }
    const std::string key = DedupKey(msg);
    if (auto [it, inserted] = first_of_key.emplace(key, i); !inserted) {
      in_batch_dups.emplace_back(i, it->second);
      continue;
    }
    claims.push_back({key, msg.message_id()});
    claimed.push_back(i);
  }
  std::vector<store::KeyValue> owned;
  if (!claims.empty()) {
    auto results = dedup_->ClaimAll(claims);
    if (!results.ok()) {
      // Availability over dedup: a STOP must not wait for Redis. Consumers
      // handle a rare re-delivered provider retry as a new message.
      metrics_.redis_errors.Add({{"operation", "dedup"}}).Increment();
      log::Warn("dedup unavailable, publishing without it", {{"status", results.status()}});
      to_publish.insert(to_publish.end(), claimed.begin(), claimed.end());
    } else {
      for (size_t j = 0; j < claimed.size(); ++j) {
        InboundOutcome& o = out[claimed[j]];
        const store::ClaimResult& r = (*results)[j];
        switch (r.kind) {
          case store::ClaimResult::Kind::kNew:
          case store::ClaimResult::Kind::kTakenOver:
            o.message.set_message_id(r.value);  // a takeover reuses the original id
            owned.push_back({claims[j].key, r.value});
            to_publish.push_back(claimed[j]);
            break;
          case store::ClaimResult::Kind::kDuplicate:
            o.outcome = v1::RECEIVE_OUTCOME_DUPLICATE;
            o.message.set_message_id(r.value);
            break;
          case store::ClaimResult::Kind::kInFlight:
            o.outcome = v1::RECEIVE_OUTCOME_UNSPECIFIED;
            o.error = absl::UnavailableError(
                absl::StrCat("an earlier delivery of provider message '",
                             o.message.provider_message_id(), "' is still being stored; retry"));
            break;
        }
      }
    }
  }

  std::sort(to_publish.begin(), to_publish.end());
  std::vector<InboundOutcome*> publishing;
  for (size_t i : to_publish) publishing.push_back(&out[i]);
  Publish(publishing);

  if (dedup_ != nullptr && !owned.empty()) {
    std::vector<store::KeyValue> done, failed;
    std::unordered_map<std::string, const InboundOutcome*> by_id;
    for (size_t i : to_publish) by_id[out[i].message.message_id()] = &out[i];
    for (const auto& kv : owned) (by_id[kv.value]->stored() ? done : failed).push_back(kv);
    // Best effort: an unfinished claim is taken over after its timeout.
    if (auto st = dedup_->CompleteAll(done); !st.ok()) {
      metrics_.redis_errors.Add({{"operation", "dedup_complete"}}).Increment();
    }
    if (auto st = dedup_->ReleaseAll(failed); !st.ok()) {
      metrics_.redis_errors.Add({{"operation", "dedup_release"}}).Increment();
    }
  }
  for (auto [dup, first] : in_batch_dups) {
    InboundOutcome& o = out[dup];
    if (out[first].stored()) {
      o.outcome = v1::RECEIVE_OUTCOME_DUPLICATE;
      o.message.set_message_id(out[first].message.message_id());
    } else {
      o.outcome = v1::RECEIVE_OUTCOME_UNSPECIFIED;
      o.error = out[first].error;
    }
  }
  for (const InboundOutcome& o : out) Count(metrics_source, o);
  return out;
}

void InboundPipeline::Publish(std::vector<InboundOutcome*>& pending) {
  if (pending.empty()) return;
  std::vector<kafka::Record> records;
  records.reserve(pending.size());
  for (const InboundOutcome* o : pending) records.push_back(ToRecord(o->message));
  const auto start = std::chrono::steady_clock::now();
  auto results = producer_.SendAll(std::move(records));
  metrics_.publish_latency.Add({{"topic", "inbound"}}, metrics::LatencyBuckets())
      .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  for (size_t i = 0; i < pending.size(); ++i) {
    InboundOutcome& o = *pending[i];
    if (results[i].ok()) {
      o.outcome = v1::RECEIVE_OUTCOME_ACCEPTED;
      log::Info("inbound accepted", {{"tenant", o.message.tenant_id()},
                                     {"message_id", o.message.message_id()},
                                     {"from", log::Phone(o.message.from())},
                                     {"segments", o.message.segments()}});
      continue;
    }
    metrics_.produce_errors.Add({{"topic", "inbound"}}).Increment();
    o.outcome = v1::RECEIVE_OUTCOME_UNSPECIFIED;
    // The caller (a provider) retries; we never acknowledge what is not stored.
    o.error = absl::UnavailableError(
        absl::StrCat("message not stored, retry: ", results[i].status().message()));
    log::Warn("inbound not stored", {{"tenant", o.message.tenant_id()},
                                     {"message_id", o.message.message_id()},
                                     {"status", results[i].status()}});
  }
}

void InboundPipeline::Count(std::string_view source, const InboundOutcome& o) {
  metrics_.received
      .Add({{"source", std::string(source)},
            {"outcome", OutcomeLabel(o)},
            {"reason", ReasonLabel(o)}})
      .Increment();
}

}  // namespace smsflow::ingest
