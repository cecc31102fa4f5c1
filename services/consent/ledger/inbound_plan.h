#pragma once
// What one inbound message means for consent: the ledger event to append and
// the confirmation to request. Pure (no I/O): the InboundKeywordHandler
// gathers the inputs (view state, tenant config), calls PlanInbound, then
// applies the confirmation window and publishes.
//
//   opt-out keyword / phrase -> OPT_OUT (+ opt-out confirmation)
//   opt-in keyword           -> OPT_IN  (+ opt-in confirmation)
//   help keyword             -> HELP    (+ help text, unless opted out and the
//                                         tenant or a toll-free number says no)
//   anything else            -> GRANT IMPLIED until received + window, unless
//                               an implied grant with more than half its
//                               window left is already in the view

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "lib/config/tenants.h"
#include "lib/keywords/keyword_classifier.h"
#include "services/consent/ledger/consent_config.h"
#include "smsflow/v1/consent.pb.h"
#include "smsflow/v1/inbound.pb.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::ledger {

// recorded_by / requested_by of everything the consent service writes on its
// own (consent.proto: "consent" for events from inbound messages).
inline constexpr char kConsentPrincipal[] = "consent";
// A confirmation not sent within this long is pointless (COMPLIANCE.md wants
// it within 5 minutes); the gate/dispatcher expire it after.
inline constexpr absl::Duration kReplyValidity = absl::Hours(1);

struct InboundInputs {
  const config::Tenant* tenant = nullptr;
  const TenantConsentConfig* config = nullptr;
  const keywords::KeywordClassifier* classifier = nullptr;
  bool toll_free = false;                   // the business number texted is toll-free
  const v1::ConsentState* state = nullptr;  // view state of (tenant, scope, from), if any
  absl::Time now;
};

struct InboundPlan {
  std::string family;  // metric label: opt_out, opt_in, help, implied, none
  std::string method;  // metric label: exact_keyword, phrase, first_message, none
  std::optional<v1::ConsentEvent> event;     // none: nothing to record
  std::optional<v1::OutboundRequest> reply;  // before the confirmation window
  std::string no_reply_reason;               // for a keyword without reply
};

InboundPlan PlanInbound(const v1::InboundMessage& message, const InboundInputs& inputs);

// The OutboundRequest confirming `event`, from the business number `from`.
v1::OutboundRequest ConfirmationRequest(const v1::ConsentEvent& event, const std::string& from,
                                        const std::string& body, const std::string& message_id,
                                        absl::Time now);

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& t);

}  // namespace smsflow::consent::ledger
