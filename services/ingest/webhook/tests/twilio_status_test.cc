#include "services/ingest/webhook/twilio_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace smsflow::ingest::webhook
