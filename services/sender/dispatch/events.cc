#include "services/sender/dispatch/events.h"

#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"
#include "services/sender/dispatch/validity.h"

namespace smsflow::sender {

v1::DeliveryEvent MessageEvent(const v1::ApprovedMessage& message, const std::string& from,
                               v1::MessageStatus status, absl::Time now) {
  const v1::OutboundRequest& req = message.request();
  v1::DeliveryEvent e;
  e.set_event_id(sms::NewMessageId());
  e.set_message_id(req.message_id());
  e.set_tenant_id(req.tenant_id());
  e.set_status(status);
  *e.mutable_event_time() = ToProtoTime(now);
  e.set_reporter(kReporter);
  e.set_batch_id(req.batch_id());
  e.set_status_callback_tag(req.status_callback_tag());
  e.set_to(req.to());
  e.set_from(from.empty() ? req.from() : from);
  e.set_category(req.category());
  e.set_segments(req.segments());
  e.set_sender_scope(req.sender_scope());
  return e;
}

kafka::Record EventRecord(const v1::DeliveryEvent& event) {
  kafka::Record r;
  r.topic = std::string(kafka::topics::kDelivery);
  r.key =
      event.unmatched() ? event.provider() + "|" + event.provider_message_id() : event.message_id();
  r.value = event.SerializeAsString();
  r.headers.push_back({std::string(kafka::kTypeHeader), event.GetTypeName()});
  return r;
}

ReceiptStatus MapReceiptState(v1::ReceiptState state) {
  switch (state) {
    case v1::RECEIPT_STATE_ENROUTE:
    case v1::RECEIPT_STATE_ACCEPTD:
      return {v1::MESSAGE_STATUS_SENT, v1::REASON_CODE_UNSPECIFIED};
    case v1::RECEIPT_STATE_DELIVRD:
      return {v1::MESSAGE_STATUS_DELIVERED, v1::REASON_CODE_UNSPECIFIED};
    case v1::RECEIPT_STATE_EXPIRED:
      return {v1::MESSAGE_STATUS_EXPIRED, v1::REASON_CODE_VALIDITY_EXPIRED};
    case v1::RECEIPT_STATE_DELETED:
    case v1::RECEIPT_STATE_UNDELIV:
      return {v1::MESSAGE_STATUS_UNDELIVERED, v1::REASON_CODE_CARRIER_UNDELIVERABLE};
    case v1::RECEIPT_STATE_UNKNOWN:
      return {v1::MESSAGE_STATUS_UNDELIVERED, v1::REASON_CODE_CARRIER_STATUS_UNKNOWN};
    case v1::RECEIPT_STATE_REJECTD:
      return {v1::MESSAGE_STATUS_UNDELIVERED, v1::REASON_CODE_CARRIER_REJECTED};
    default:
      return {};
  }
}

bool IsFinalStatus(v1::MessageStatus status) {
  switch (status) {
    case v1::MESSAGE_STATUS_DELIVERED:
    case v1::MESSAGE_STATUS_UNDELIVERED:
    case v1::MESSAGE_STATUS_FAILED:
    case v1::MESSAGE_STATUS_CANCELED:
    case v1::MESSAGE_STATUS_EXPIRED:
    case v1::MESSAGE_STATUS_REJECTED:
      return true;
    default:
      return false;
  }
}

}  // namespace smsflow::sender
