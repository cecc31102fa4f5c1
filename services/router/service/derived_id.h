#pragma once
// Deterministic message ids for records the router produces in answer to an
// inbound message, so a redelivered inbound yields the same auto-reply id and
// the consent gate (which decides each id once) drops the repeat.
//
// The result is a valid UUIDv7 (lib/sms IsMessageId accepts it): the 48-bit
// timestamp is the inbound id's own, the 74 remaining bits come from a
// 128-bit FNV-1a hash of "<purpose>|<inbound id>". FNV is not cryptographic;
// it only has to be stable across processes and builds (absl::Hash is
// seeded per process, so it would not do). Pure; thread-safe.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace smsflow::router {

// INVALID_ARGUMENT "message_id: ..." when `inbound_id` is not a message id.
absl::StatusOr<std::string> DeriveMessageId(std::string_view inbound_id, std::string_view purpose);

}  // namespace smsflow::router
