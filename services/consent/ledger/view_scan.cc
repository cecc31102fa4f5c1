#include "services/consent/ledger/view_scan.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace smsflow::consent::ledger {

std::optional<consentview::ConsentKey> ParseViewKey(std::string_view key) {
  const size_t bar = key.find('|');
  if (bar == std::string_view::npos || bar == 0) return std::nullopt;
  consentview::ConsentKey out;
  out.tenant_id = std::string(key.substr(0, bar));
  std::string_view rest = key.substr(bar + 1);
  const size_t colon = rest.find(':');
  size_t len = 0;
  if (colon == std::string_view::npos ||
      !absl::SimpleAtoi(absl::string_view(rest.data(), colon), &len) ||
      rest.size() < colon + 1 + len + 1 || rest[colon + 1 + len] != '|') {
    return std::nullopt;
  }
  out.sender_scope = std::string(rest.substr(colon + 1, len));
  out.recipient = std::string(rest.substr(colon + 1 + len + 1));
  if (out.recipient.empty()) return std::nullopt;
  return out;
}

std::string GlobEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

absl::Status ScanKeys(redis::Pool& pool, const std::string& pattern,
                      const std::function<bool(std::vector<std::string>&)>& fn) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  std::string cursor = "0";
  do {
    auto reply = (*lease)->Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!reply.ok()) return reply.status();
    if (!reply->IsArray() || reply->elements.size() != 2) {
      return absl::InternalError("SCAN: unexpected reply " + reply->DebugString());
    }
    cursor = reply->elements[0].str;
    std::vector<std::string> keys;
    keys.reserve(reply->elements[1].elements.size());
    for (const redis::Reply& k : reply->elements[1].elements) keys.push_back(k.str);
    if (!keys.empty() && !fn(keys)) return absl::OkStatus();
  } while (cursor != "0");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<consentview::ConsentKey>> ScanTenantKeys(
    redis::Pool& pool, const std::string& prefix, const std::string& tenant_id,
    const std::string& sender_scope) {
  std::string pattern = GlobEscape(absl::StrCat(prefix, tenant_id, "|"));
  if (!sender_scope.empty()) {
    absl::StrAppend(&pattern, sender_scope.size(), ":", GlobEscape(sender_scope), "|");
  }
  pattern += "*";
  std::vector<consentview::ConsentKey> out;
  // SCAN may return a key more than once; duplicates are removed below.
  auto s = ScanKeys(pool, pattern, [&](std::vector<std::string>& keys) {
    for (const std::string& k : keys) {
      if (k.size() <= prefix.size()) continue;
      auto parsed = ParseViewKey(std::string_view(k).substr(prefix.size()));
      if (parsed.has_value() && parsed->tenant_id == tenant_id) out.push_back(*std::move(parsed));
    }
    return true;
  });
  if (!s.ok()) return s;
  auto less = [](const consentview::ConsentKey& a, const consentview::ConsentKey& b) {
    return std::tie(a.sender_scope, a.recipient) < std::tie(b.sender_scope, b.recipient);
  };
  std::sort(out.begin(), out.end(), less);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace smsflow::consent::ledger
