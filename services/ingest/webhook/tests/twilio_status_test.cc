#include "services/ingest/webhook/twilio_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/kafka/topics.h"

namespace smsflow::ingest::webhook {
namespace {

using ::testing::HasSubstr;

TEST(MapTwilioStatusTest, KnownStatuses) {
  struct Case {
    const char* twilio;
    v1::MessageStatus status;
    v1::ReasonCode reason;
  };
  for (const Case& c : {
           Case{"accepted", v1::MESSAGE_STATUS_ACCEPTED, v1::REASON_CODE_UNSPECIFIED},
           Case{"scheduled", v1::MESSAGE_STATUS_SCHEDULED, v1::REASON_CODE_UNSPECIFIED},
           Case{"queued", v1::MESSAGE_STATUS_QUEUED, v1::REASON_CODE_UNSPECIFIED},
           Case{"sending", v1::MESSAGE_STATUS_SENDING, v1::REASON_CODE_UNSPECIFIED},
           Case{"sent", v1::MESSAGE_STATUS_SENT, v1::REASON_CODE_UNSPECIFIED},
           Case{"delivered", v1::MESSAGE_STATUS_DELIVERED, v1::REASON_CODE_UNSPECIFIED},
           Case{"read", v1::MESSAGE_STATUS_DELIVERED, v1::REASON_CODE_UNSPECIFIED},
           Case{"undelivered", v1::MESSAGE_STATUS_UNDELIVERED,
                v1::REASON_CODE_CARRIER_UNDELIVERABLE},
           Case{"failed", v1::MESSAGE_STATUS_FAILED, v1::REASON_CODE_CARRIER_PERMANENT_ERROR},
           Case{"canceled", v1::MESSAGE_STATUS_CANCELED, v1::REASON_CODE_CANCELED_BY_REQUEST},
       }) {
    auto m = MapTwilioStatus(c.twilio);
    ASSERT_TRUE(m.ok()) << c.twilio;
    EXPECT_EQ(m->status, c.status) << c.twilio;
    EXPECT_EQ(m->reason, c.reason) << c.twilio;
  }
}

TEST(MapTwilioStatusTest, InboundAndUnknownStatusesAreRejectedByName) {
  EXPECT_THAT(std::string(MapTwilioStatus("received").status().message()),
              HasSubstr("MessageStatus: 'received' is an inbound status"));
  EXPECT_EQ(MapTwilioStatus("Delivered").status().message(),
            "MessageStatus: unknown value 'Delivered'");
  EXPECT_EQ(MapTwilioStatus("").status().message(), "MessageStatus: required");
}

TEST(MakeDeliveryRecordTest, KeyedByMessageIdOrProviderIdWhenUnmatched) {
  v1::DeliveryEvent e;
  e.set_provider("twilio");
  e.set_provider_message_id("SM1");
  e.set_unmatched(true);
  auto unmatched = MakeDeliveryRecord(e);
  EXPECT_EQ(unmatched.topic, kafka::topics::kDelivery);
  EXPECT_EQ(unmatched.key, "twilio|SM1");
  ASSERT_EQ(unmatched.headers.size(), 1u);
  EXPECT_EQ(unmatched.headers[0].value, "smsflow.v1.DeliveryEvent");

  e.set_unmatched(false);
  e.set_message_id("0190a5b4-0000-7000-8000-000000000001");
  EXPECT_EQ(MakeDeliveryRecord(e).key, "0190a5b4-0000-7000-8000-000000000001");
}

}  // namespace
}  // namespace smsflow::ingest::webhook
