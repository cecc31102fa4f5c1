#include "services/consent/ledger/confirmation_window.h"

#include "absl/strings/str_cat.h"

namespace smsflow::consent::ledger {
namespace {

const redis::Script& ClaimScript() {
  static const redis::Script kScript(R"lua(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0
)lua");
  return kScript;
}

}  // namespace

ConfirmationWindow::ConfirmationWindow(redis::Pool& pool, std::string prefix)
    : pool_(pool), prefix_(std::move(prefix)) {}

std::string ConfirmationWindow::RedisKey(const WindowClaim& c) const {
  return absl::StrCat(prefix_, c.tenant_id, "|", c.sender_scope.size(), ":", c.sender_scope, "|",
                      c.recipient, "|", c.family);
}

absl::StatusOr<std::vector<bool>> ConfirmationWindow::ClaimAll(
    const std::vector<WindowClaim>& claims) {
  std::vector<bool> out;
  if (claims.empty()) return out;
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(claims.size());
  for (const WindowClaim& c : claims) {
    const int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(c.window));
    calls.push_back({{RedisKey(c)}, {c.event_id, std::to_string(ms)}});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(ClaimScript(), calls);
  if (!replies.ok()) return replies.status();
  out.reserve(claims.size());
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
    out.push_back(r.IsInteger() && r.integer == 1);
  }
  return out;
}

}  // namespace smsflow::consent::ledger
