#pragma once
// Strict parser for application/x-www-form-urlencoded bodies (what Twilio
// and most SMS providers post). Pure function, thread-safe.
//
// Rules: pairs separated by '&', name and value by the first '='; '+' is a
// space; '%XY' (two hex digits) is the byte 0xXY. Rejected with
// INVALID_ARGUMENT and a reason: a '%' not followed by two hex digits, an
// empty name ("=x"), a name or value that is not valid UTF-8 once decoded.
// Tolerated as the WHATWG URL standard does: empty pairs ("a=1&&b=2", a
// trailing '&') are skipped and a pair without '=' is a name with an empty
// value. Repeated names are all kept, in body order.

#include <string_view>

#include "absl/status/statusor.h"
#include "services/ingest/webhook/signature.h"

namespace smsflow::ingest::webhook {

// Errors read "form body: <reason> at byte N" (N 0-based in `body`); values
// never appear in them (they may be message text), names do when printable.
absl::StatusOr<FormParams> ParseForm(std::string_view body);

// Percent-decodes one component ('+' as space). INVALID_ARGUMENT "malformed
// percent escape at byte N" (N relative to `component`).
absl::StatusOr<std::string> PercentDecode(std::string_view component);

}  // namespace smsflow::ingest::webhook
