#pragma once
// What makes a send request acceptable, as pure functions of the request, the
// tenant directory, the template catalog and the clock: sender resolution
// (number or pool), recipient parsing, template rendering, text checks,
// segment limit, send and validity windows. No I/O. A single SendMessage is
// validated as a batch of one, so both RPCs follow exactly the same rules.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/config/tenants.h"
#include "services/sender/api/template.h"
#include "smsflow/v1/outbound.pb.h"
#include "smsflow/v1/sender_service.pb.h"

namespace smsflow::sender {

struct SendLimits {
  int max_segments = 10;    // of the rendered body; more is BODY_TOO_LONG
  int max_batch = 10000;    // recipients per SendBatch
  int stream_chunk = 1000;  // recipients per internal chunk of SendBatchStream
  int max_key_bytes = 128;  // idempotency_key
  int max_tag_bytes = 256;  // status_callback_tag
  std::chrono::milliseconds max_schedule_ahead = std::chrono::hours(24 * 35);
  std::chrono::milliseconds max_validity = std::chrono::hours(72);
  // A send_time this far in the past is read as "now" (client clocks drift);
  // further back it is a client bug and INVALID_ARGUMENT.
  std::chrono::milliseconds clock_skew = std::chrono::minutes(5);
  // Default validity per category when the request gives none.
  std::chrono::milliseconds otp_validity = std::chrono::minutes(10);
  std::chrono::milliseconds default_validity = std::chrono::hours(24);
  bool smart_encoding_default = false;
  std::string default_region = "US";  // for recipients written without '+'
};

// What is wrong with one field: INVALID_ARGUMENT "<field>: <description>" for
// a call, a Rejection for one batch recipient.
struct Problem {
  std::string field;
  v1::ReasonCode reason = v1::REASON_CODE_INVALID_FIELD;
  std::string description;
  absl::Status ToStatus() const;
  v1::Rejection ToRejection() const;
};

// The validated settings every recipient of one call shares.
struct SendSettings {
  const config::Tenant* tenant = nullptr;
  std::string sender_scope;
  std::string from;         // requested number; empty for a pool
  std::string sender_pool;  // requested pool (= a scope of the tenant); empty for a number
  std::vector<std::string> pool_numbers;  // the pool's numbers, in configuration order
  bool is_template = false;
  std::string body;           // literal body (when !is_template)
  Template tmpl;              // parsed template (when is_template)
  std::string content_field;  // "body", "template_text" or "template_id"
  google::protobuf::Map<std::string, std::string> variables;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  absl::Time accept_time;
  std::optional<absl::Time> send_time;  // only when in the future
  absl::Time expire_time;
  bool smart_encoding = false;
  std::string idempotency_key;
  std::string status_callback_tag;
  std::string subject;
  std::string inbound_message_id;
  std::string requested_by;
};

// Validates tenant-wide settings. `prefix` is prepended to field names
// ("settings." for batches, "" for SendMessage). Errors are INVALID_ARGUMENT
// naming the field; `problem` (if given) receives the details.
absl::StatusOr<SendSettings> ValidateSettings(const std::string& tenant_id,
                                              const v1::BatchSettings& settings,
                                              const config::TenantDirectory& tenants,
                                              const TemplateCatalog& templates,
                                              const SendLimits& limits, absl::Time now,
                                              const std::string& prefix,
                                              Problem* problem = nullptr);

// A recipient turned into the request to publish (with a fresh message id),
// or the reason it is rejected: INVALID_NUMBER on "to",
// TEMPLATE_VARIABLE_MISSING on "variables.<name>", EMPTY_BODY, INVALID_TEXT,
// BODY_TOO_LONG, INVALID_FIELD. Field names carry no prefix.
absl::StatusOr<v1::OutboundRequest> PrepareRecipient(const SendSettings& settings,
                                                     const v1::BatchRecipient& recipient,
                                                     const SendLimits& limits, Problem* problem);

// The number of a pool that serves `to`: the same recipient always gets the
// same sender (sticky sender), stable across replicas and restarts.
const std::string& PickPoolNumber(const std::vector<std::string>& numbers, const std::string& to);

// SCHEDULED when the message waits for a future send_time, else ACCEPTED.
v1::MessageStatus InitialStatus(const v1::OutboundRequest& request);

// SendMessageRequest as a batch of one: its settings and its recipient.
v1::BatchSettings SettingsOf(const v1::SendMessageRequest& request);
v1::BatchRecipient RecipientOf(const v1::SendMessageRequest& request);

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& t);

}  // namespace smsflow::sender
