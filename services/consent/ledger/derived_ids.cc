#include "services/consent/ledger/derived_ids.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "lib/redis/script.h"
#include "lib/sms/message_id.h"

namespace smsflow::consent::ledger {

std::string DerivedId(std::string_view purpose, std::string_view source, absl::Time time) {
  // 40 hex digits of SHA-1; we need 74 bits (19 hex digits minus 2 bits).
  const std::string hash =
      redis::Sha1Hex(absl::StrCat(std::string(purpose), "|", std::string(source)));
  int64_t ms = absl::ToUnixMillis(time);
  if (ms < 0) ms = 0;
  char ts[13];
  std::snprintf(ts, sizeof(ts), "%012llx", static_cast<unsigned long long>(ms) & 0xffffffffffffULL);
  // Variant nibble: 10xx -> 8, 9, a or b, from the hash.
  static constexpr char kHex[] = "0123456789abcdef";
  const int nibble = (hash[3] >= 'a' ? hash[3] - 'a' + 10 : hash[3] - '0');
  const char variant = kHex[8 | (nibble & 3)];
  std::string id =
      absl::StrCat(std::string(ts, 8), "-", std::string(ts + 8, 4), "-7", hash.substr(0, 3), "-",
                   std::string(1, variant), hash.substr(4, 3), "-", hash.substr(7, 12));
  return id;
}

std::string DerivedIdFromMessage(std::string_view purpose, std::string_view message_id,
                                 absl::Time fallback) {
  auto t = sms::MessageIdTime(message_id);
  return DerivedId(purpose, message_id, t.ok() ? *t : fallback);
}

}  // namespace smsflow::consent::ledger
