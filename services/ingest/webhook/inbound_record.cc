#include "services/ingest/webhook/inbound_record.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"

namespace smsflow::ingest {

v1::InboundMessage NewInbound(const ValidInbound& valid, const config::Tenant& tenant,
                              const config::Number& number, v1::InboundSource source) {
  v1::InboundMessage msg;
  msg.set_message_id(sms::NewMessageId());
  msg.set_tenant_id(tenant.id);
  msg.set_sender_scope(number.scope);
  msg.set_from(valid.from);
  msg.set_to(valid.to);
  msg.set_encoding(valid.segments.encoding == sms::Encoding::kGsm7 ? v1::ENCODING_GSM7
                                                                   : v1::ENCODING_UCS2);
  msg.set_segments(valid.segments.segments);
  *msg.mutable_received_time() = google::protobuf::util::TimeUtil::GetCurrentTime();
  msg.set_source(source);
  return msg;
}

kafka::Record MakeInboundRecord(const v1::InboundMessage& msg) {
  kafka::Record record;
  record.topic = std::string(kafka::topics::kInbound);
  record.key = absl::StrCat(msg.tenant_id(), "|", msg.from());
  record.value = msg.SerializeAsString();
  record.headers.push_back({std::string(kafka::kTypeHeader), msg.GetTypeName()});
  return record;
}

}  // namespace smsflow::ingest
