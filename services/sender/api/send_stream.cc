// SendPipeline::Stream: SendBatchStream in chunks. Chunk boundaries depend
// only on recipient indexes (every limits.stream_chunk recipients), never on
// how the client split its messages, so a retried stream with the same
// idempotency key finds each chunk's stored result and sends nothing twice.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/sms/message_id.h"
#include "services/sender/api/send_pipeline.h"

namespace smsflow::sender {

absl::Status SendPipeline::Stream::Start(const v1::SendBatchStreamRequest& first) {
  SendPipeline& p = pipeline_;
  if (first.tenant_id().empty()) return absl::InvalidArgumentError("tenant_id: required");
  if (!first.has_settings()) {
    return absl::InvalidArgumentError("settings: required in the first message");
  }
  auto settings = ValidateSettings(first.tenant_id(), first.settings(), *p.tenants_, *p.templates_,
                                   p.limits_, p.clock_(), "settings.");
  if (!settings.ok()) return settings.status();
  settings->requested_by = principal_;
  settings_ = *std::move(settings);
  tenant_id_ = first.tenant_id();
  std::string batch_id = sms::NewMessageId();
  if (!settings_.idempotency_key.empty()) {
    batch_key_ = absl::StrCat("s|", tenant_id_, "|", settings_.idempotency_key);
    batch_claim_value_ = batch_id;
    bool taken_over = false;
    auto stored = p.Claim(batch_key_, &batch_claim_value_, &taken_over);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      // The earlier stream finished: reuse its batch; chunks replay below.
      batch_claim_value_ = **stored;
      batch_key_.clear();  // already complete
    }
    response_.set_idempotent_replay(stored->has_value() || taken_over);
    batch_id = batch_claim_value_;
  }
  response_.set_batch_id(batch_id);
  started_ = true;
  return absl::OkStatus();
}

absl::Status SendPipeline::Stream::Add(const v1::SendBatchStreamRequest& message) {
  if (!started_) {
    if (auto st = Start(message); !st.ok()) return st;
  } else {
    if (!message.tenant_id().empty() && message.tenant_id() != tenant_id_) {
      return absl::InvalidArgumentError("tenant_id: differs from the first message");
    }
    if (message.has_settings()) {
      return absl::InvalidArgumentError("settings: only allowed in the first message");
    }
  }
  buffer_.insert(buffer_.end(), message.recipients().begin(), message.recipients().end());
  const size_t chunk = static_cast<size_t>(std::max(1, pipeline_.limits_.stream_chunk));
  while (buffer_.size() >= chunk) {
    if (auto st = ProcessChunk(chunk); !st.ok()) return st;
  }
  return absl::OkStatus();
}

absl::Status SendPipeline::Stream::ProcessChunk(size_t n) {
  SendPipeline& p = pipeline_;
  std::vector<v1::BatchRecipient> recipients(std::make_move_iterator(buffer_.begin()),
                                             std::make_move_iterator(buffer_.begin() + n));
  buffer_.erase(buffer_.begin(), buffer_.begin() + n);
  const int64_t first = next_index_;
  next_index_ += static_cast<int64_t>(n);
  p.metrics_.batch_size
      .Add({{"rpc", "send_batch_stream"}},
           prometheus::Histogram::BucketBoundaries{1, 10, 100, 500, 1000, 2500, 5000, 10000})
      .Observe(static_cast<double>(n));
  PreparedBatch b = p.Prepare(settings_, recipients, first, response_.batch_id(), p.clock_());
  v1::SendBatchResponse chunk;
  chunk.set_batch_id(b.batch_id);
  for (const auto& r : b.results) *chunk.add_results() = r;
  chunk.set_accepted_count(static_cast<int32_t>(b.requests.size()));
  chunk.set_rejected_count(static_cast<int32_t>(n) - chunk.accepted_count());

  std::string key, value = chunk.SerializeAsString();
  bool replay = false;
  if (!settings_.idempotency_key.empty()) {
    key = absl::StrCat("s|", tenant_id_, "|", settings_.idempotency_key, "|", first);
    bool taken_over = false;
    auto stored = p.Claim(key, &value, &taken_over);
    if (!stored.ok()) return stored.status();
    if (stored->has_value() || taken_over) {
      v1::SendBatchResponse original;
      if (!original.ParseFromString(stored->has_value() ? **stored : value)) {
        return absl::InternalError("idempotency_key: stored chunk result is unreadable");
      }
      if (stored->has_value()) replay = true;
      AdoptIds(original, &b);
      chunk = original;
      const size_t done = static_cast<size_t>(original.results_size());
      if (replay && done < n) {
        // The earlier stream ended inside this chunk: the rest is new and
        // goes out as its own chunk (keyed by its own first index).
        buffer_.insert(buffer_.begin(), std::make_move_iterator(recipients.begin() + done),
                       std::make_move_iterator(recipients.end()));
        next_index_ = first + static_cast<int64_t>(done);
      }
    }
  }
  if (!replay) {
    bool any_acked = false;
    absl::Status st = p.Publish(b, settings_, /*batch_open=*/true, &any_acked);
    p.Finish(key, value, st.ok(), any_acked);
    if (!st.ok()) return st;
    p.RecordStatus(b, settings_);
  }
  p.Count("send_batch_stream", b, settings_.category, replay);
  response_.set_accepted_count(response_.accepted_count() + chunk.accepted_count());
  response_.set_rejected_count(response_.rejected_count() + chunk.rejected_count());
  for (const auto& r : chunk.results()) {
    if (r.status() == v1::MESSAGE_STATUS_REJECTED) *response_.add_rejections() = r;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::SendBatchStreamResponse> SendPipeline::Stream::Finish() {
  if (!started_) return absl::InvalidArgumentError("recipients: the stream sent no messages");
  const size_t chunk = static_cast<size_t>(std::max(1, pipeline_.limits_.stream_chunk));
  while (!buffer_.empty()) {
    if (auto st = ProcessChunk(std::min(chunk, buffer_.size())); !st.ok()) return st;
  }
  SendPipeline& p = pipeline_;
  if (p.status_ != nullptr) {
    absl::Status st =
        next_index_ == 0 ? absl::OkStatus() : p.status_->CloseBatch(response_.batch_id());
    if (next_index_ == 0) st = p.status_->RecordBatch(response_.batch_id(), tenant_id_, {}, false);
    if (!st.ok()) p.metrics_.redis_errors.Add({{"operation", "batch_close"}}).Increment();
  }
  if (!batch_key_.empty()) p.Finish(batch_key_, batch_claim_value_, true, true);
  return response_;
}

}  // namespace smsflow::sender
