#pragma once
// Twilio status callbacks as smsflow delivery statuses. Pure function,
// thread-safe. (The record itself is ReceiptPipeline's, as for every
// receipt.)

#include <string_view>

#include "absl/status/statusor.h"
#include "services/ingest/receipts.h"

namespace smsflow::ingest::webhook {

// Twilio MessageStatus (case-sensitive, as Twilio sends it: "queued",
// "delivered", ...) to smsflow's status. "read" (WhatsApp/RCS) counts as
// delivered; "partially_delivered" as undelivered. INVALID_ARGUMENT
// "MessageStatus: ..." for inbound-only statuses (receiving, received) and
// values Twilio does not document, so a new status is noticed (400 plus a
// warning) instead of being recorded as something it is not.
absl::StatusOr<StatusMapping> MapTwilioStatus(std::string_view message_status);

}  // namespace smsflow::ingest::webhook
