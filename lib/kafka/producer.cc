#include "lib/kafka/producer.h"

#include <condition_variable>
#include <mutex>
#include <optional>

namespace smsflow::kafka {

std::vector<absl::StatusOr<Delivered>> Producer::SendAll(std::vector<Record> records) {
  struct Batch {
    std::mutex mu;
    std::condition_variable cv;
    size_t remaining = 0;
    std::vector<std::optional<absl::StatusOr<Delivered>>> results;
  };
  auto batch = std::make_shared<Batch>();
  batch->remaining = records.size();
  batch->results.resize(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    Send(std::move(records[i]), [batch, i](absl::StatusOr<Delivered> result) {
      std::lock_guard<std::mutex> lock(batch->mu);
      batch->results[i] = std::move(result);
      if (--batch->remaining == 0) batch->cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(batch->mu);
  // No deadline of our own: every Send completes within the delivery timeout.
  batch->cv.wait(lock, [&] { return batch->remaining == 0; });
  std::vector<absl::StatusOr<Delivered>> out;
  out.reserve(batch->results.size());
  for (auto& result : batch->results) out.push_back(std::move(*result));
  return out;
}

absl::StatusOr<Delivered> Producer::SendSync(Record record) {
  std::vector<Record> one;
  one.push_back(std::move(record));
  return std::move(SendAll(std::move(one)).front());
}

}  // namespace smsflow::kafka
