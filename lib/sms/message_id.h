#pragma once
// Time-ordered message ids: UUIDv7 (RFC 9562) as 36-char lowercase text.
// Ids from one process sort strictly increasing as strings, even many within
// one millisecond. Thread-safe.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace smsflow::sms {

// Layout (RFC 9562 section 6.2, method 1, "fixed bit-length dedicated
// counter"): unix_ts_ms (48) | ver=7 (4) | rand_a as a 12-bit counter |
// var=0b10 (2) | rand_b (62 random bits). The counter starts at a random
// value below 2048 each new millisecond (leaving room to count) and, when it
// would wrap, the timestamp is advanced by one millisecond instead, so the
// embedded time may run ahead of the clock by a few ms under a burst of more
// than ~2048 ids/ms. A clock stepping backwards never makes ids go backwards:
// the last timestamp is kept until the clock passes it.
std::string NewMessageId();

// Syntactic check: 8-4-4-4-12 lowercase hex, version 7, RFC 9562 variant.
// Uppercase is rejected because ids are compared and ordered as strings.
bool IsMessageId(std::string_view s);

// The embedded unix-ms timestamp; INVALID_ARGUMENT if `id` is not a message id.
absl::StatusOr<absl::Time> MessageIdTime(std::string_view id);

}  // namespace smsflow::sms
