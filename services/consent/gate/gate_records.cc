#include "services/consent/gate/gate_records.h"

#include "absl/strings/str_cat.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"

namespace smsflow::consent::gate {
namespace {

void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t ns = absl::ToUnixNanos(t);
  out->set_seconds(ns / 1000000000);
  out->set_nanos(static_cast<int32_t>(ns % 1000000000));
}

}  // namespace

std::string_view LaneTopic(v1::Lane lane) {
  switch (lane) {
    case v1::LANE_OTP:
      return kafka::topics::kApprovedOtp;
    case v1::LANE_CONVERSATIONAL:
      return kafka::topics::kApprovedConversational;
    case v1::LANE_MARKETING:
      return kafka::topics::kApprovedMarketing;
    case v1::LANE_TRANSACTIONAL:
    default:
      return kafka::topics::kApprovedTransactional;
  }
}

kafka::Record ApprovedRecord(const v1::OutboundRequest& request, const Decision& decision,
                             absl::Time now, bool quiet_hours_deferred) {
  v1::ApprovedMessage approved;
  *approved.mutable_request() = request;
  approved.set_lane(decision.lane);
  SetTime(now, approved.mutable_approve_time());
  approved.set_consent_kind(decision.consent_kind);
  approved.set_consent_event_id(decision.consent_event_id);
  approved.set_time_zone(decision.time_zone);
  approved.set_quiet_hours_deferred(quiet_hours_deferred);
  if (decision.window_end != absl::InfiniteFuture()) {
    SetTime(decision.window_end, approved.mutable_window_end_time());
  }
  return kafka::ProtoRecord(LaneTopic(decision.lane),
                            absl::StrCat(request.tenant_id(), "|", request.to()), approved);
}

kafka::Record DeferredRecord(const v1::OutboundRequest& request, absl::Time release_time,
                             bool quiet_hours) {
  v1::DeferredRequest deferred;
  *deferred.mutable_request() = request;
  SetTime(release_time, deferred.mutable_release_time());
  deferred.set_quiet_hours(quiet_hours);
  return kafka::ProtoRecord(kafka::topics::kOutboundDeferred, request.message_id(), deferred);
}

kafka::Record ReleasedRecord(const std::string& message_id) {
  kafka::Record record = kafka::ProtoRecord(kafka::topics::kOutboundDeferred, message_id,
                                            v1::DeferredRequest::default_instance());
  record.value.clear();  // a default message serializes empty anyway; say so
  return record;
}

kafka::Record EventRecord(const v1::OutboundRequest& request, v1::MessageStatus status,
                          v1::ReasonCode reason, const std::string& description, absl::Time now,
                          absl::Time next_attempt) {
  v1::DeliveryEvent event;
  event.set_event_id(sms::NewMessageId());
  event.set_message_id(request.message_id());
  event.set_tenant_id(request.tenant_id());
  event.set_status(status);
  event.set_reason_code(reason);
  event.set_description(description);
  event.set_reporter(std::string(kReporter));
  event.set_batch_id(request.batch_id());
  event.set_status_callback_tag(request.status_callback_tag());
  event.set_to(request.to());
  if (request.has_from()) event.set_from(request.from());
  event.set_category(request.category());
  event.set_segments(request.segments());
  event.set_part_count(request.segments());
  event.set_sender_scope(request.sender_scope());
  SetTime(now, event.mutable_event_time());
  if (next_attempt != absl::InfiniteFuture())
    SetTime(next_attempt, event.mutable_next_attempt_time());
  return kafka::ProtoRecord(kafka::topics::kDelivery, request.message_id(), event);
}

}  // namespace smsflow::consent::gate
