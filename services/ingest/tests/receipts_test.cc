// ReportDeliveryReceipts: receipts become delivery events on sms.delivery.v1,
// matched to smsflow messages through the provider id index.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/kafka/topics.h"
#include "lib/testing/topic_reader.h"
#include "services/ingest/tests/ingest_fixture.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::ingest {
namespace {

class ReceiptsTest : public IngestFixture {
 protected:
  grpc::Status Report(const v1::ReportDeliveryReceiptsRequest& req,
                      v1::ReportDeliveryReceiptsResponse* resp, const std::string& tenant = "") {
    grpc::ClientContext ctx;
    if (!tenant.empty()) ctx.AddMetadata(server::kTenantMetadataKey, tenant);
    return stub_->ReportDeliveryReceipts(&ctx, req, resp);
  }
  static v1::DeliveryReceipt Receipt(const std::string& provider_id, v1::ReceiptState state,
                                     int part = 0) {
    v1::DeliveryReceipt r;
    r.set_provider("sim");
    r.set_provider_message_id(provider_id);
    r.set_state(state);
    r.set_part_number(part);
    r.set_error_code(state == v1::RECEIPT_STATE_UNDELIV ? "0x0000000B" : "");
    return r;
  }
};

TEST_F(ReceiptsTest, MatchedAndUnmatchedReceiptsLandOnTheDeliveryTopic) {
  ASSERT_TRUE(index_
                  ->PutAll({{{"sim", "p-1"}, {"m-1", "acme", 1, 2}},
                            {{"sim", "p-2"}, {"m-1", "acme", 2, 2}}})
                  .ok());
  testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kDelivery)});
  v1::ReportDeliveryReceiptsRequest req;
  *req.add_receipts() = Receipt("p-2", v1::RECEIPT_STATE_DELIVRD);  // a later part first
  *req.add_receipts() = Receipt("p-unknown", v1::RECEIPT_STATE_UNDELIV);
  *req.add_receipts() = Receipt("", v1::RECEIPT_STATE_DELIVRD);  // invalid
  v1::ReportDeliveryReceiptsResponse resp;
  grpc::Status st = Report(req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(resp.results_size(), 3);
  EXPECT_EQ(resp.results(0).outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
  EXPECT_EQ(resp.results(0).message_id(), "m-1");
  EXPECT_FALSE(resp.results(0).unmatched());
  EXPECT_EQ(resp.results(1).outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
  EXPECT_TRUE(resp.results(1).unmatched());
  EXPECT_EQ(resp.results(2).outcome(), v1::RECEIVE_OUTCOME_REJECTED);
  EXPECT_EQ(resp.results(2).rejection().field(), "provider_message_id");

  auto messages = reader.WaitForCount(2);
  ASSERT_EQ(messages.size(), 2u);
  std::map<std::string, v1::DeliveryEvent> by_provider_id;
  for (const auto& m : messages) {
    v1::DeliveryEvent e;
    ASSERT_TRUE(e.ParseFromString(m.value));
    by_provider_id[e.provider_message_id()] = e;
    EXPECT_EQ(m.key, e.unmatched() ? "sim|p-unknown" : "m-1");
  }
  const v1::DeliveryEvent& delivered = by_provider_id["p-2"];
  EXPECT_EQ(delivered.message_id(), "m-1");
  EXPECT_EQ(delivered.tenant_id(), "acme");
  EXPECT_EQ(delivered.status(), v1::MESSAGE_STATUS_DELIVERED);
  EXPECT_EQ(delivered.part_number(), 2);  // found through the index
  EXPECT_EQ(delivered.part_count(), 2);
  EXPECT_EQ(delivered.reporter(), "ingest");
  const v1::DeliveryEvent& unknown = by_provider_id["p-unknown"];
  EXPECT_TRUE(unknown.unmatched());
  EXPECT_TRUE(unknown.message_id().empty());
  EXPECT_EQ(unknown.status(), v1::MESSAGE_STATUS_UNDELIVERED);
  EXPECT_EQ(unknown.reason_code(), v1::REASON_CODE_CARRIER_UNDELIVERABLE);
  EXPECT_EQ(unknown.carrier_error_code(), "0x0000000B");
}

TEST_F(ReceiptsTest, TenantConfinedCallerCannotReportForAnotherTenantsMessage) {
  ASSERT_TRUE(index_->PutAll({{{"sim", "p-9"}, {"m-9", "acme", 0, 1}}}).ok());
  v1::ReportDeliveryReceiptsRequest req;
  *req.add_receipts() = Receipt("p-9", v1::RECEIPT_STATE_DELIVRD);
  v1::ReportDeliveryReceiptsResponse resp;
  ASSERT_TRUE(Report(req, &resp, "globex").ok());
  EXPECT_EQ(resp.results(0).outcome(), v1::RECEIVE_OUTCOME_REJECTED);
  EXPECT_EQ(resp.results(0).rejection().reason_code(), v1::REASON_CODE_SENDER_NOT_ALLOWED);
}

TEST_F(ReceiptsTest, RedisDownMeansUnavailableRatherThanWronglyUnmatched) {
  redis_.Stop();
  v1::ReportDeliveryReceiptsRequest req;
  *req.add_receipts() = Receipt("p-1", v1::RECEIPT_STATE_DELIVRD);
  v1::ReportDeliveryReceiptsResponse resp;
  EXPECT_EQ(Report(req, &resp).error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace smsflow::ingest
