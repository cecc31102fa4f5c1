#include <gtest/gtest.h>

#include "services/ingest/receipts.h"

namespace smsflow::ingest {
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

}  // namespace
}  // namespace smsflow::ingest
