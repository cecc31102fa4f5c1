#include "lib/store/cancellations.h"

namespace smsflow::store {
namespace {
std::string BatchKey(const std::string& id) { return "smsflow:cancel:b:" + id; }
std::string MessageKey(const std::string& id) { return "smsflow:cancel:m:" + id; }
}  // namespace

CancellationStore::CancellationStore(redis::Pool& pool, std::chrono::milliseconds ttl)
    : pool_(pool), ttl_(ttl) {}

absl::Status CancellationStore::CancelBatch(const std::string& batch_id) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto r = (*lease)->Command({"SET", BatchKey(batch_id), "1", "PX", std::to_string(ttl_.count())});
  return r.ok() ? absl::OkStatus() : r.status();
}

absl::Status CancellationStore::CancelMessages(const std::vector<std::string>& message_ids) {
  if (message_ids.empty()) return absl::OkStatus();
  std::vector<redis::Args> commands;
  for (const auto& id : message_ids) {
    commands.push_back({"SET", MessageKey(id), "1", "PX", std::to_string(ttl_.count())});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto r = (*lease)->Pipeline(commands);
  if (!r.ok()) return r.status();
  for (const auto& reply : *r) {
    if (reply.IsError()) return reply.ToStatus();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<bool>> CancellationStore::CanceledAll(
    const std::vector<CancelCheck>& checks) {
  std::vector<bool> out;
  if (checks.empty()) return out;
  redis::Args mget = {"MGET"};
  for (const CancelCheck& c : checks) {
    mget.push_back(MessageKey(c.message_id));
    // An empty batch id maps to a key nobody sets.
    mget.push_back(c.batch_id.empty() ? MessageKey("") : BatchKey(c.batch_id));
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Command(mget);
  if (!reply.ok()) return reply.status();
  if (!reply->IsArray() || reply->elements.size() != 2 * checks.size()) {
    return absl::InternalError("cancellations: unexpected reply " + reply->DebugString());
  }
  out.reserve(checks.size());
  for (size_t i = 0; i < checks.size(); ++i) {
    out.push_back(!reply->elements[2 * i].IsNil() || !reply->elements[2 * i + 1].IsNil());
  }
  return out;
}

}  // namespace smsflow::store
