#pragma once
// Ids derived deterministically from the record that caused them, so a
// redelivered inbound message (or a repeated API call with one idempotency
// key) yields the same event and reply ids, and consumers dedupe by id.
//
// The result is a valid UUIDv7 (lib/sms/message_id.h IsMessageId): the 48-bit
// time is `time` (e.g. the inbound id's embedded time) so derived ids still
// sort roughly by time; the other 74 bits come from SHA-1(purpose | source).
// Pure, thread-safe.

#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace smsflow::consent::ledger {

std::string DerivedId(std::string_view purpose, std::string_view source, absl::Time time);

// For an inbound message: the time embedded in its id when it is a UUIDv7,
// else `fallback` (e.g. received_time).
std::string DerivedIdFromMessage(std::string_view purpose, std::string_view message_id,
                                 absl::Time fallback);

inline constexpr std::string_view kEventPurpose = "consent-event";
inline constexpr std::string_view kReplyPurpose = "consent-reply";

}  // namespace smsflow::consent::ledger
