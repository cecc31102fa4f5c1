#include "services/router/service/derived_id.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "lib/sms/message_id.h"

namespace smsflow::router {
namespace {

using U128 = unsigned __int128;

U128 Fnv1a128(std::string_view a, std::string_view b) {
  // FNV-1a 128-bit offset basis and prime (draft-eastlake-fnv).
  U128 hash = (static_cast<U128>(0x6c62272e07bb0142ULL) << 64) | 0x62b821756295c58dULL;
  const U128 prime = (static_cast<U128>(0x0000000001000000ULL) << 64) | 0x000000000000013bULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      hash ^= c;
      hash *= prime;
    }
  };
  mix(a);
  mix("|");
  mix(b);
  return hash;
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

}  // namespace

absl::StatusOr<std::string> DeriveMessageId(std::string_view inbound_id, std::string_view purpose) {
  if (!sms::IsMessageId(inbound_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message_id: '", std::string(inbound_id), "' is not a UUIDv7 message id"));
  }
  // The first 12 hex digits (8 + 4, skipping the dash) are unix_ts_ms.
  uint8_t bytes[16];
  for (int i = 0, pos = 0; i < 6; ++i, pos += 2) {
    if (inbound_id[pos] == '-') ++pos;
    bytes[i] = static_cast<uint8_t>(HexValue(inbound_id[pos]) << 4 | HexValue(inbound_id[pos + 1]));
  }
  const U128 h = Fnv1a128(purpose, inbound_id);
  for (int i = 6; i < 16; ++i) bytes[i] = static_cast<uint8_t>(h >> (8 * (i - 6)));
  bytes[6] = static_cast<uint8_t>(0x70 | (bytes[6] & 0x0f));  // version 7
  bytes[8] = static_cast<uint8_t>(0x80 | (bytes[8] & 0x3f));  // RFC 9562 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0f]);
  }
  return out;
}

}  // namespace smsflow::router
