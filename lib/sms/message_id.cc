#include "lib/sms/message_id.h"

#include <cstdint>
#include <mutex>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace smsflow::sms {
namespace {

constexpr std::uint32_t kCounterMax = 0xFFF;        // rand_a is 12 bits.
constexpr std::uint32_t kCounterSeedBound = 0x800;  // Seed below half: >= 2048 ids/ms of room.
constexpr char kHex[] = "0123456789abcdef";
constexpr std::size_t kIdLength = 36;

// One generator per thread: absl::BitGen is seeded from the OS entropy pool
// and is not safe to share, and per-thread instances keep the random bits off
// the lock. (A fork()ed child inherits the state; uniqueness still holds within
// each process because it rests on timestamp + counter.)
absl::BitGen& Random() {
  thread_local absl::BitGen gen;
  return gen;
}

// The process-wide (timestamp, counter) sequence. The mutex guards only two
// integers, so contention is short even with many sending threads.
struct Sequence {
  std::mutex mu;
  std::int64_t last_ms = 0;
  std::uint32_t counter = 0;
};

Sequence& GlobalSequence() {
  static Sequence* const seq = new Sequence();  // Never destroyed: usable during exit.
  return *seq;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string NewMessageId() {
  const std::int64_t now_ms = absl::ToUnixMillis(absl::Now());
  std::int64_t ms;
  std::uint32_t counter;
  {
    Sequence& seq = GlobalSequence();
    std::lock_guard<std::mutex> lock(seq.mu);
    if (now_ms > seq.last_ms) {
      seq.last_ms = now_ms;
      seq.counter = absl::Uniform<std::uint32_t>(Random(), 0, kCounterSeedBound);
    } else if (seq.counter < kCounterMax) {
      ++seq.counter;
    } else {
      ++seq.last_ms;  // Counter exhausted: borrow the next millisecond (RFC 9562 6.2).
      seq.counter = absl::Uniform<std::uint32_t>(Random(), 0, kCounterSeedBound);
    }
    ms = seq.last_ms;
    counter = seq.counter;
  }
  const std::uint64_t rand_b = absl::Uniform<std::uint64_t>(Random());

  unsigned char bytes[16];
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  bytes[6] = static_cast<unsigned char>(0x70 | (counter >> 8));
  bytes[7] = static_cast<unsigned char>(counter);
  bytes[8] = static_cast<unsigned char>(0x80 | ((rand_b >> 56) & 0x3F));
  for (int i = 9; i < 16; ++i) bytes[i] = static_cast<unsigned char>(rand_b >> (8 * (15 - i)));

  std::string id(kIdLength, '-');
  std::size_t pos = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++pos;  // Skip the hyphen already there.
    id[pos++] = kHex[bytes[i] >> 4];
    id[pos++] = kHex[bytes[i] & 0xF];
  }
  return id;
}

bool IsMessageId(std::string_view s) {
  if (s.size() != kIdLength) return false;
  for (std::size_t i = 0; i < kIdLength; ++i) {
    const bool hyphen_slot = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen_slot ? s[i] != '-' : HexValue(s[i]) < 0) return false;
  }
  // Version nibble, then the variant's top two bits (10xx = 8, 9, a, b).
  return s[14] == '7' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

absl::StatusOr<absl::Time> MessageIdTime(std::string_view id) {
  if (!IsMessageId(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("message id '", std::string(id.substr(0, kIdLength + 4)),
                     id.size() > kIdLength + 4 ? "..." : "", "' is not a UUIDv7"));
  }
  std::int64_t ms = 0;
  for (std::size_t i = 0; i < 13; ++i) {  // 8 hex digits, '-', 4 hex digits = 48 bits.
    if (i == 8) continue;
    ms = ms << 4 | HexValue(id[i]);
  }
  return absl::FromUnixMillis(ms);
}

}  // namespace smsflow::sms
