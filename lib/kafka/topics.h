#pragma once
// Kafka topic names, in one place so that producers and consumers agree.

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace smsflow::kafka::topics {

inline constexpr std::string_view kInbound = "sms.inbound.v1";
inline constexpr std::string_view kDelivery = "sms.delivery.v1";
inline constexpr std::string_view kConsent = "sms.consent.v1";
inline constexpr std::string_view kOutboundRequested = "sms.outbound.requested.v1";
inline constexpr std::string_view kRouted = "sms.routed.v1";
// The consent gate's journal of held requests (smsflow.v1.DeferredRequest,
// keyed by message id; a tombstone when released). Compacted: the last
// record per key is what is held, so Redis can be restored from it.
inline constexpr std::string_view kOutboundDeferred = "sms.outbound.deferred.v1";

// Approved outbound: one topic per priority lane so that the dispatcher can
// consume them with strict priority (a marketing backlog never delays an OTP).
inline constexpr std::string_view kApprovedOtp = "sms.outbound.approved.v1.otp";
inline constexpr std::string_view kApprovedTransactional = "sms.outbound.approved.v1.transactional";
inline constexpr std::string_view kApprovedConversational =
    "sms.outbound.approved.v1.conversational";
inline constexpr std::string_view kApprovedMarketing = "sms.outbound.approved.v1.marketing";

// The approved lanes, highest priority first.
inline constexpr std::array<std::string_view, 4> kApprovedLanes = {
    kApprovedOtp, kApprovedTransactional, kApprovedConversational, kApprovedMarketing};

inline constexpr std::string_view kDlqSuffix = ".dlq";

// "<topic>.dlq": where a consumer of `topic` parks records it cannot process.
std::string Dlq(std::string_view topic);

// Every topic above followed by each one's dead-letter topic.
std::vector<std::string> All();

}  // namespace smsflow::kafka::topics
