#pragma once
// ProviderIdIndex: provider message id -> smsflow message id, so a delivery
// receipt (which only knows the provider's id) finds its message. The sender
// writes an entry for each submitted part when the carrier answers; ingest
// reads them when receipts arrive. Entries expire after `ttl` (receipts come
// at most a few days late). Batch calls are one Redis round trip.
// Thread-safe; borrows the pool.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/client.h"

namespace smsflow::store {

struct ProviderRef {
  std::string provider;     // "twilio", "sim", "smpp:<connection>"
  std::string provider_id;  // the provider's message (or part) id
};

struct ProviderIdEntry {
  std::string message_id;
  std::string tenant_id;
  int part_number = 0;  // 1-based part of a multipart message; 0 = whole message
  int part_count = 0;
};

class ProviderIdIndex {
 public:
  explicit ProviderIdIndex(redis::Pool& pool,
                           std::chrono::milliseconds ttl = std::chrono::hours(24 * 7));

  absl::Status PutAll(const std::vector<std::pair<ProviderRef, ProviderIdEntry>>& entries);
  // One result per ref, in order; nullopt where no entry exists.
  absl::StatusOr<std::vector<std::optional<ProviderIdEntry>>> LookupAll(
      const std::vector<ProviderRef>& refs);

  static std::string Key(const ProviderRef& ref);

 private:
  redis::Pool& pool_;
  std::chrono::milliseconds ttl_;
};

}  // namespace smsflow::store
