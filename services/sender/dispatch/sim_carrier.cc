#include "services/sender/dispatch/sim_carrier.h"

#include <algorithm>
#include <functional>

namespace smsflow::sender {

SimSubmissionRecord SimCarrierNetwork::Record(const Submission& s, const std::string& connection,
                                              bool accepted, const std::string& error_code) {
  SimSubmissionRecord r{s.message_id, s.tenant_id, s.from,     s.to, std::max(1, s.parts),
                        s.attempt,    accepted,    error_code, {},   absl::Now(),
                        connection};
  std::lock_guard lock(mu_);
  if (accepted) {
    for (int p = 0; p < r.parts; ++p) r.provider_ids.push_back("sim-" + std::to_string(next_id_++));
    accepted_by_ref_.emplace(r.message_id, records_.size());
  }
  records_.push_back(r);
  return r;
}

std::vector<SimSubmissionRecord> SimCarrierNetwork::Submissions() const {
  std::lock_guard lock(mu_);
  return records_;
}

std::vector<SimSubmissionRecord> SimCarrierNetwork::Accepted() const {
  std::lock_guard lock(mu_);
  std::vector<SimSubmissionRecord> out;
  for (const auto& r : records_) {
    if (r.accepted) out.push_back(r);
  }
  return out;
}

size_t SimCarrierNetwork::AcceptedCount() const {
  std::lock_guard lock(mu_);
  return accepted_by_ref_.size();
}

std::vector<SimSubmissionRecord> SimCarrierNetwork::AcceptedFor(
    const std::string& message_id) const {
  std::lock_guard lock(mu_);
  std::vector<SimSubmissionRecord> out;
  auto [lo, hi] = accepted_by_ref_.equal_range(message_id);
  for (auto it = lo; it != hi; ++it) out.push_back(records_[it->second]);
  return out;
}

SimCarrier::SimCarrier(SimCarrierNetwork& network, SimCarrierOptions options, ReceiptSink sink)
    : network_(network), options_(std::move(options)), sink_(std::move(sink)), rng_(options_.seed) {
  thread_ = std::thread([this] { Run(); });
}

SimCarrier::~SimCarrier() { Stop(); }

void SimCarrier::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_ && !thread_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  tasks_.clear();  // dropped: a stopped connection answers nothing
}

absl::Duration SimCarrier::Between(absl::Duration lo, absl::Duration hi) {
  if (hi <= lo) return lo;
  std::uniform_real_distribution<double> d(0.0, 1.0);
  return lo + (hi - lo) * d(rng_);
}

void SimCarrier::Schedule(absl::Time at, std::function<void()> run) {
  tasks_.push_back(Task{at, seq_++, std::move(run)});
  std::push_heap(tasks_.begin(), tasks_.end(), std::greater<>());
}

void SimCarrier::Submit(Submission submission, SubmitCallback done) {
  const int parts = std::max(1, submission.parts);
  std::unique_lock lock(mu_);
  if (stop_) return;
  std::uniform_real_distribution<double> d(0.0, 1.0);
  const double draw = d(rng_);
  const absl::Time now = absl::Now();
  const absl::Time answer_at = now + Between(options_.min_latency, options_.max_latency);
  std::string code;
  ErrorKind kind = ErrorKind::kNone;
  if (in_flight_.load() >= options_.window) {
    kind = ErrorKind::kTransient;
    code = "0x00000014";
  } else if (draw < options_.throttle_ratio) {
    kind = ErrorKind::kThrottled;
    code = "0x00000058";
  } else if (draw < options_.throttle_ratio + options_.failure_ratio) {
    kind = ErrorKind::kPermanent;
    code = "0x0000000B";
  }
  SimSubmissionRecord rec =
      network_.Record(submission, options_.connection, kind == ErrorKind::kNone, code);
  SubmitResult result;
  for (int p = 0; p < parts; ++p) {
    PartResult part;
    part.part_number = p + 1;
    part.error = kind;
    part.error_code = code;
    if (kind == ErrorKind::kNone) part.provider_message_id = rec.provider_ids[p];
    if (kind != ErrorKind::kNone) part.error_text = "sim carrier error " + code;
    result.parts.push_back(std::move(part));
  }
  in_flight_ += 1;
  Schedule(answer_at, [this, done = std::move(done), result]() mutable {
    in_flight_ -= 1;
    done(std::move(result));
  });
  if (kind == ErrorKind::kNone && options_.receipts) {
    const bool undelivered = d(rng_) < options_.undelivered_ratio;
    for (int p = 0; p < parts; ++p) {
      Receipt receipt;
      receipt.provider_message_id = rec.provider_ids[p];
      receipt.state = undelivered ? v1::RECEIPT_STATE_UNDELIV : v1::RECEIPT_STATE_DELIVRD;
      receipt.error_code = undelivered ? "000" : "";
      // Receipts come after the answer, each part on its own delay: out of
      // order across parts and messages, as real carriers do.
      const absl::Time at =
          answer_at + Between(options_.min_receipt_delay, options_.max_receipt_delay);
      Schedule(at, [this, receipt, at]() mutable {
        receipt.done_time = at;
        if (sink_) sink_(std::move(receipt));
      });
    }
  }
  lock.unlock();
  cv_.notify_all();
}

absl::StatusOr<std::optional<SubmitResult>> SimCarrier::LookupByReference(
    const std::string& message_id) {
  auto accepted = network_.AcceptedFor(message_id);
  if (accepted.empty()) return std::optional<SubmitResult>();
  SubmitResult r;
  const SimSubmissionRecord& rec = accepted.front();
  for (size_t p = 0; p < rec.provider_ids.size(); ++p) {
    PartResult part;
    part.part_number = static_cast<int>(p + 1);
    part.provider_message_id = rec.provider_ids[p];
    r.parts.push_back(std::move(part));
  }
  return std::optional<SubmitResult>(std::move(r));
}

void SimCarrier::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (tasks_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const absl::Time next = tasks_.front().at;
    const absl::Time now = absl::Now();
    if (next > now) {
      cv_.wait_for(lock, absl::ToChronoNanoseconds(next - now));
      continue;
    }
    std::pop_heap(tasks_.begin(), tasks_.end(), std::greater<>());
    Task task = std::move(tasks_.back());
    tasks_.pop_back();
    lock.unlock();
    task.run();
    lock.lock();
  }
}

}  // namespace smsflow::sender
