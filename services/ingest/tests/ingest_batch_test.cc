// ReceiveMessages: per-item answers, one Kafka batch, dedup within and across calls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "lib/kafka/topics.h"
#include "lib/testing/topic_reader.h"
#include "services/ingest/tests/ingest_fixture.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest {
namespace {

using ::testing::HasSubstr;

class IngestBatchTest : public IngestFixture {
 protected:
  grpc::Status Batch(const v1::ReceiveMessagesRequest& req, v1::ReceiveMessagesResponse* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return stub_->ReceiveMessages(&ctx, req, resp);
  }
};

TEST_F(IngestBatchTest, EachItemIsAnsweredAndOnlyAcceptedOnesArePublished) {
  testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  v1::ReceiveMessagesRequest req;
  *req.add_requests() = Request("+14155550123", "+14155550100", "hours?", "SMb1");
  *req.add_requests() = Request("nope", "+14155550100", "hi", "SMb2");               // bad from
  *req.add_requests() = Request("+14155550123", "+14155550199", "hi", "SMb3");       // unknown to
  *req.add_requests() = Request("+14155550124", "+13125550100", "confirm", "SMb4");  // globex
  *req.add_requests() =
      Request("+14155550123", "+14155550100", "hours?", "SMb1");              // retry in batch
  *req.add_requests() = Request("+14155550125", "+14155550100", "", "SMb6");  // empty body
  v1::ReceiveMessagesResponse resp;
  grpc::Status st = Batch(req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(resp.results_size(), 6);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(resp.results(i).index(), i);
  EXPECT_EQ(resp.results(0).outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
  EXPECT_EQ(resp.results(1).outcome(), v1::RECEIVE_OUTCOME_REJECTED);
  EXPECT_EQ(resp.results(1).rejection().field(), "from");
  EXPECT_EQ(resp.results(1).rejection().reason_code(), v1::REASON_CODE_INVALID_NUMBER);
  EXPECT_EQ(resp.results(2).rejection().reason_code(), v1::REASON_CODE_UNKNOWN_DESTINATION);
  EXPECT_EQ(resp.results(2).rejection().field(), "to");
  EXPECT_EQ(resp.results(3).outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
  EXPECT_EQ(resp.results(3).tenant_id(), "globex");
  EXPECT_EQ(resp.results(4).outcome(), v1::RECEIVE_OUTCOME_DUPLICATE);
  EXPECT_EQ(resp.results(4).message_id(), resp.results(0).message_id());
  EXPECT_EQ(resp.results(5).rejection().reason_code(), v1::REASON_CODE_EMPTY_BODY);

  // The same batch again (a client retry) is all duplicates and rejections.
  v1::ReceiveMessagesResponse again;
  ASSERT_TRUE(Batch(req, &again).ok());
  EXPECT_EQ(again.results(0).outcome(), v1::RECEIVE_OUTCOME_DUPLICATE);
  EXPECT_EQ(again.results(0).message_id(), resp.results(0).message_id());
  EXPECT_EQ(again.results(3).outcome(), v1::RECEIVE_OUTCOME_DUPLICATE);

  // Exactly the two accepted messages are on the topic: a final marker proves
  // the reader is past anything a duplicate could have produced.
  v1::ReceiveMessageResponse marker;
  grpc::ClientContext ctx;
  ASSERT_TRUE(
      stub_->ReceiveMessage(&ctx, Request("+14155550126", "+14155550100", "end", "SMend"), &marker)
          .ok());
  auto messages = reader.WaitForCount(3);
  std::multiset<std::string> ids;
  for (const auto& m : messages) {
    v1::InboundMessage msg;
    ASSERT_TRUE(msg.ParseFromString(m.value));
    ids.insert(msg.message_id());
  }
  EXPECT_EQ(ids, (std::multiset<std::string>{resp.results(0).message_id(),
                                             resp.results(3).message_id(), marker.message_id()}));
}

TEST_F(IngestBatchTest, ThousandMessagesInOneCall) {
  testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  v1::ReceiveMessagesRequest req;
  for (int i = 0; i < 1000; ++i) {
    *req.add_requests() = Request("+1415555" + std::to_string(1000 + i), "+14155550100",
                                  "msg " + std::to_string(i), "SMk" + std::to_string(i));
  }
  v1::ReceiveMessagesResponse resp;
  ASSERT_TRUE(Batch(req, &resp).ok());
  for (const auto& r : resp.results()) ASSERT_EQ(r.outcome(), v1::RECEIVE_OUTCOME_ACCEPTED);
  EXPECT_EQ(reader.WaitForCount(1000).size(), 1000u);
}

TEST_F(IngestBatchTest, OversizedOrEmptyBatchIsRejectedByName) {
  v1::ReceiveMessagesRequest req;
  v1::ReceiveMessagesResponse resp;
  grpc::Status st = Batch(req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("requests: empty"));
  for (int i = 0; i < 1001; ++i) *req.add_requests() = Request("+14155550123", "+14155550100", "x");
  st = Batch(req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(st.error_message(), HasSubstr("1001 items is over the limit of 1000"));
}

TEST_F(IngestBatchTest, KafkaDownFailsTheBatchAndNothingIsAcknowledged) {
  kafka_.Stop();
  v1::ReceiveMessagesRequest req;
  *req.add_requests() = Request("+14155550123", "+14155550100", "a", "SMx1");
  *req.add_requests() = Request("+14155550124", "+14155550100", "b", "SMx2");
  v1::ReceiveMessagesResponse resp;
  grpc::Status st = Batch(req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(resp.results_size(), 0);
}

}  // namespace
}  // namespace smsflow::ingest
