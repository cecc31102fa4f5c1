#pragma once
// ConfirmationWindow: "a repeated STOP within the confirmation window does not
// send a second confirmation" (issue 4). One Redis key per
// tenant|scope|recipient|family, SET NX with the window as TTL, whose value is
// the consent event that claimed it. A claim by the same event again (the
// inbound message was redelivered after a failed publish) still owns the
// window, so a retry sends the confirmation it could not send before.
// Thread-safe; borrows the pool.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/redis/client.h"

namespace smsflow::consent::ledger {

struct WindowClaim {
  std::string tenant_id;
  std::string sender_scope;
  std::string recipient;
  std::string family;    // "opt_out", "opt_in", "help"
  std::string event_id;  // the event whose confirmation this would be
  absl::Duration window;
};

class ConfirmationWindow {
 public:
  explicit ConfirmationWindow(redis::Pool& pool, std::string prefix = "smsflow:consent-confirm:");

  // One pipeline; true where the claim's event owns the window (send the
  // confirmation), false where another event claimed it within the window.
  absl::StatusOr<std::vector<bool>> ClaimAll(const std::vector<WindowClaim>& claims);

  std::string RedisKey(const WindowClaim& claim) const;

 private:
  redis::Pool& pool_;
  std::string prefix_;
};

}  // namespace smsflow::consent::ledger
