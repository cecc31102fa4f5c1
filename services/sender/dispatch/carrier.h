#pragma once
// The carrier adapter interface: how the dispatcher hands a message to a
// carrier (or an SMS provider) and hears back. Small on purpose, and shaped
// for SMPP: submissions are asynchronous and windowed (at most window() in
// flight), the answer comes per part of a multipart message, and delivery
// receipts arrive later, out of order, through a sink given to the adapter at
// construction. Adapters classify the carrier's errors as transient or
// permanent (ErrorKind) so the dispatcher's retry policy stays generic.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/sender/dispatch/retry_policy.h"
#include "smsflow/v1/common.pb.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::sender {

// One message to submit. The adapter splits the body into `parts` parts
// (SMPP: concatenation UDH or message_payload) and answers per part.
struct Submission {
  std::string message_id;  // smsflow id, sent as the client reference
  std::string tenant_id;
  std::string from;
  std::string to;
  std::string body;
  v1::Encoding encoding = v1::ENCODING_GSM7;
  int parts = 1;    // the segment count
  int attempt = 1;  // 1-based
};

struct PartResult {
  int part_number = 1;              // 1-based
  std::string provider_message_id;  // set when accepted
  ErrorKind error = ErrorKind::kNone;
  std::string error_code;  // as the carrier reported it, e.g. "0x00000058"
  std::string error_text;
};

struct SubmitResult {
  std::vector<PartResult> parts;  // one per part, in part order
};

// A delivery receipt for one submitted part.
struct Receipt {
  std::string provider_message_id;
  v1::ReceiptState state = v1::RECEIPT_STATE_UNSPECIFIED;
  std::string error_code;
  absl::Time done_time;
};

using SubmitCallback = std::function<void(SubmitResult)>;
// Called on an adapter thread; must not block for long.
using ReceiptSink = std::function<void(Receipt)>;

// Thread-safe. Submit() returns at once; `done` runs exactly once on an
// adapter thread (possibly before Submit returns), unless Stop() came first.
class CarrierAdapter {
 public:
  virtual ~CarrierAdapter() = default;
  // Provider name on status events and in the provider id index ("sim",
  // "smpp:<connection>").
  virtual const std::string& provider() const = 0;
  // Most submissions the carrier accepts in flight on this connection.
  virtual size_t window() const = 0;
  virtual void Submit(Submission submission, SubmitCallback done) = 0;
  // What the carrier accepted under this client reference, for reconciling a
  // submission whose dispatcher died before recording the answer: the
  // accepted parts, or nullopt if the carrier has nothing accepted under it.
  // UNIMPLEMENTED when the carrier cannot look up by reference (then the
  // dispatcher presumes the message was submitted and never sends again).
  virtual absl::StatusOr<std::optional<SubmitResult>> LookupByReference(
      const std::string& message_id) = 0;
  // No callback or receipt runs after Stop() returns. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace smsflow::sender
