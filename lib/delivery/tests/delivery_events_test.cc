#include "lib/delivery/delivery_events.h"

#include <gtest/gtest.h>

#include "lib/kafka/topics.h"

namespace smsflow::delivery {
namespace {

TEST(ReceiptMappingTest, EverySmppStateMapsAsDocumented) {
  struct Case {
    v1::ReceiptState state;
    v1::MessageStatus status;
    v1::ReasonCode reason;
  };
  const Case cases[] = {
      {v1::RECEIPT_STATE_DELIVRD, v1::MESSAGE_STATUS_DELIVERED, v1::REASON_CODE_UNSPECIFIED},
      {v1::RECEIPT_STATE_ENROUTE, v1::MESSAGE_STATUS_SENT, v1::REASON_CODE_UNSPECIFIED},
      {v1::RECEIPT_STATE_ACCEPTD, v1::MESSAGE_STATUS_SENT, v1::REASON_CODE_UNSPECIFIED},
      {v1::RECEIPT_STATE_EXPIRED, v1::MESSAGE_STATUS_EXPIRED, v1::REASON_CODE_VALIDITY_EXPIRED},
      {v1::RECEIPT_STATE_UNDELIV, v1::MESSAGE_STATUS_UNDELIVERED,
       v1::REASON_CODE_CARRIER_UNDELIVERABLE},
      {v1::RECEIPT_STATE_DELETED, v1::MESSAGE_STATUS_UNDELIVERED,
       v1::REASON_CODE_CARRIER_UNDELIVERABLE},
      {v1::RECEIPT_STATE_UNKNOWN, v1::MESSAGE_STATUS_UNDELIVERED,
       v1::REASON_CODE_CARRIER_STATUS_UNKNOWN},
      {v1::RECEIPT_STATE_REJECTD, v1::MESSAGE_STATUS_UNDELIVERED, v1::REASON_CODE_CARRIER_REJECTED},
  };
  for (const Case& c : cases) {
    const StatusMapping m = MapReceiptState(c.state);
    EXPECT_EQ(m.status, c.status) << v1::ReceiptState_Name(c.state);
    EXPECT_EQ(m.reason, c.reason) << v1::ReceiptState_Name(c.state);
  }
  EXPECT_EQ(MapReceiptState(v1::RECEIPT_STATE_UNSPECIFIED).status, v1::MESSAGE_STATUS_UNSPECIFIED);
}

TEST(FinalStatusTest, OnlyEndStatesAreFinal) {
  for (auto s :
       {v1::MESSAGE_STATUS_DELIVERED, v1::MESSAGE_STATUS_UNDELIVERED, v1::MESSAGE_STATUS_FAILED,
        v1::MESSAGE_STATUS_CANCELED, v1::MESSAGE_STATUS_EXPIRED, v1::MESSAGE_STATUS_REJECTED}) {
    EXPECT_TRUE(IsFinalStatus(s)) << v1::MessageStatus_Name(s);
  }
  for (auto s : {v1::MESSAGE_STATUS_ACCEPTED, v1::MESSAGE_STATUS_SCHEDULED,
                 v1::MESSAGE_STATUS_QUEUED, v1::MESSAGE_STATUS_SENDING, v1::MESSAGE_STATUS_SENT}) {
    EXPECT_FALSE(IsFinalStatus(s)) << v1::MessageStatus_Name(s);
  }
}

TEST(ReceiptRecordTest, KeyedByMessageIdOrProviderIdWhenUnmatched) {
  v1::DeliveryEvent e;
  e.set_provider("twilio");
  e.set_provider_message_id("SM1");
  e.set_unmatched(true);
  const kafka::Record unmatched = DeliveryEventRecord(e);
  EXPECT_EQ(unmatched.topic, kafka::topics::kDelivery);
  EXPECT_EQ(unmatched.key, "twilio|SM1");
  ASSERT_EQ(unmatched.headers.size(), 1u);
  EXPECT_EQ(unmatched.headers[0].value, "smsflow.v1.DeliveryEvent");

  e.set_unmatched(false);
  e.set_message_id("0190a5b4-0000-7000-8000-000000000001");
  EXPECT_EQ(DeliveryEventRecord(e).key, "0190a5b4-0000-7000-8000-000000000001");
}

}  // namespace
}  // namespace smsflow::delivery
