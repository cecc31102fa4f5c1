#pragma once
// CancellationStore: "do not send this" marks for whole batches and single
// messages, set by the sender API (CancelBatch) and checked wherever a held
// or queued message is about to move on (the gate releasing a scheduled or
// deferred message, the dispatcher right before carrier submission). Marks
// expire after `ttl`, longer than any message can wait (validity <= 72 h).
// Batch calls are one Redis round trip. Thread-safe; borrows the pool.

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/client.h"

namespace smsflow::store {

struct CancelCheck {
  std::string message_id;
  std::string batch_id;  // may be empty
};

class CancellationStore {
 public:
  explicit CancellationStore(redis::Pool& pool,
                             std::chrono::milliseconds ttl = std::chrono::hours(24 * 4));

  absl::Status CancelBatch(const std::string& batch_id);
  absl::Status CancelMessages(const std::vector<std::string>& message_ids);
  // True where the message or its batch was canceled. UNAVAILABLE when Redis
  // cannot answer: callers must then hold the message, not send it.
  absl::StatusOr<std::vector<bool>> CanceledAll(const std::vector<CancelCheck>& checks);

 private:
  redis::Pool& pool_;
  std::chrono::milliseconds ttl_;
};

}  // namespace smsflow::store
