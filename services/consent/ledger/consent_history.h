#pragma once
// ConsentHistory: every ledger event of a recipient, per tenant, in Redis, for
// ListConsentHistory and for the full ledger entry a decision rests on.
// Derived from sms.consent.v1 like the view (and rebuildable the same way).
//
// Per "tenant|recipient": a hash event_id -> serialized ConsentEvent and a
// sorted set of event ids scored by record_time (microseconds). Appends are
// idempotent by event id: the first copy of an event wins, so a redelivered
// inbound message that produced the same event id again adds nothing.
// Thread-safe; borrows the pool.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/redis/client.h"
#include "smsflow/v1/consent.pb.h"

namespace smsflow::consent::ledger {

struct HistoryPage {
  std::vector<v1::ConsentEvent> events;
  std::string next_page_token;  // empty on the last page
};

inline constexpr char kLiveHistoryPrefix[] = "smsflow:consent-history:";

class ConsentHistory {
 public:
  explicit ConsentHistory(redis::Pool& pool, std::string prefix = kLiveHistoryPrefix);

  // One pipeline for the whole batch.
  absl::Status AppendAll(const std::vector<v1::ConsentEvent>& events);

  // Oldest first. `sender_scope` empty: every scope. `page_token` is what a
  // previous page returned (INVALID_ARGUMENT "page_token: ..." otherwise).
  absl::StatusOr<HistoryPage> List(const std::string& tenant_id, const std::string& recipient,
                                   const std::string& sender_scope, int page_size,
                                   const std::string& page_token);

  // The events named, for (tenant, recipient) pairs; nullopt where unknown.
  struct EventRef {
    std::string tenant_id, recipient, event_id;
  };
  absl::StatusOr<std::vector<std::optional<v1::ConsentEvent>>> GetAll(
      const std::vector<EventRef>& refs);

 private:
  std::string IndexKey(const std::string& tenant, const std::string& recipient) const;
  std::string EventsKey(const std::string& tenant, const std::string& recipient) const;

  redis::Pool& pool_;
  std::string prefix_;
};

}  // namespace smsflow::consent::ledger
