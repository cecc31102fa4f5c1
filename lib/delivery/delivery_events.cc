#include "lib/delivery/delivery_events.h"

#include "absl/strings/str_cat.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/topics.h"

namespace smsflow::delivery {

StatusMapping MapReceiptState(v1::ReceiptState state) {
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

kafka::Record DeliveryEventRecord(const v1::DeliveryEvent& event) {
  return kafka::ProtoRecord(kafka::topics::kDelivery,
                            event.message_id().empty()
                                ? absl::StrCat(event.provider(), "|", event.provider_message_id())
                                : event.message_id(),
                            event);
}

}  // namespace smsflow::delivery
