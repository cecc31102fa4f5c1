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

}  // namespace smsflow::sender
