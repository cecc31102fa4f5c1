#pragma once
// Enumerating the ConsentView in Redis by key. View keys are
// "<prefix><tenant>|<len>:<scope>|<recipient>" (lib/consent_view), so all
// states of a tenant (or of one scope) share a key prefix that SCAN MATCH
// can select without reading values. Used by ExportConsent and CompareViews.
// Thread-safe; borrows the pool.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/consent_view/consent_state.h"
#include "lib/redis/client.h"

namespace smsflow::consent::ledger {

// `key` without the view prefix; nullopt when it is not a view key.
std::optional<consentview::ConsentKey> ParseViewKey(std::string_view key);

// Escapes the glob characters of SCAN MATCH (* ? [ ] \).
std::string GlobEscape(std::string_view s);

// Every key (full Redis key) matching `pattern`, batch by batch (SCAN COUNT
// 1000); `fn` returns false to stop early.
absl::Status ScanKeys(redis::Pool& pool, const std::string& pattern,
                      const std::function<bool(std::vector<std::string>&)>& fn);

// The view keys of a tenant (one scope when `sender_scope` is not empty),
// ordered by sender scope then recipient.
absl::StatusOr<std::vector<consentview::ConsentKey>> ScanTenantKeys(
    redis::Pool& pool, const std::string& prefix, const std::string& tenant_id,
    const std::string& sender_scope);

}  // namespace smsflow::consent::ledger
