// SenderService sends against devkafka + redis-server: publish before
// answering, batches with per-recipient answers, idempotency, streams.

#include <set>

#include "services/sender/api/tests/sender_fixture.h"

namespace smsflow::sender {
namespace {

using testing::TopicReader;
using testing::WaitFor;

std::vector<v1::OutboundRequest> Requests(const std::vector<kafka::Message>& messages) {
  std::vector<v1::OutboundRequest> out;
  for (const auto& m : messages) {
    v1::OutboundRequest r;
    EXPECT_TRUE(r.ParseFromString(m.value));
    EXPECT_EQ(*m.Header(kafka::kTypeHeader), "smsflow.v1.OutboundRequest");
    out.push_back(r);
  }
  return out;
}

class SendTest : public SenderFixture {};

TEST_F(SendTest, SendMessagePublishesTheRequestBeforeAnswering) {
  v1::SendMessageResponse resp;
  auto req = Message("(415) 555-0199", "Your order shipped");
  req.set_status_callback_tag("order-42");
  ASSERT_TRUE(stub_->SendMessage(As().get(), req, &resp).ok());
  EXPECT_TRUE(sms::IsMessageId(resp.message_id()));
  EXPECT_EQ(resp.status(), v1::MESSAGE_STATUS_ACCEPTED);
  EXPECT_EQ(resp.encoding(), v1::ENCODING_GSM7);
  EXPECT_EQ(resp.segments(), 1);
  EXPECT_EQ(resp.sender_scope(), "main");
  // The answer came after the broker's ack, so the status view already has it.
  EXPECT_EQ(Get(resp.message_id()).status(), v1::MESSAGE_STATUS_ACCEPTED);

  TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kOutboundRequested)});
  auto requests = Requests(reader.WaitForCount(1));
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.message_id(), resp.message_id());
  EXPECT_EQ(r.to(), "+14155550199");
  EXPECT_EQ(r.from(), "+14155550100");
  EXPECT_EQ(r.body(), "Your order shipped");
  EXPECT_EQ(r.status_callback_tag(), "order-42");
  EXPECT_EQ(r.requested_by(), "anonymous");
  EXPECT_EQ(reader.Messages()[0].key, "acme|+14155550199");
}

TEST_F(SendTest, ScheduledMessageAnswersScheduled) {
  auto req = Message("+14155550199", "Reminder");
  req.mutable_send_time()->set_seconds(absl::ToUnixSeconds(absl::Now() + absl::Hours(3)));
  v1::SendMessageResponse resp;
  ASSERT_TRUE(stub_->SendMessage(As().get(), req, &resp).ok());
  EXPECT_EQ(resp.status(), v1::MESSAGE_STATUS_SCHEDULED);
  EXPECT_EQ(Get(resp.message_id()).status(), v1::MESSAGE_STATUS_SCHEDULED);
}

TEST_F(SendTest, ValidationErrorsNameTheField) {
  v1::SendMessageResponse resp;
  auto st = stub_->SendMessage(As().get(), Message("12", "hi"), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message().substr(0, 4), "to: ");
  auto tmpl = Message("+14155550199", "");
  tmpl.set_template_text("Hi {{name}}");
  st = stub_->SendMessage(As().get(), tmpl, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message(), "variables.name: template variable 'name' has no value");
  // Another tenant's caller may not send for acme.
  st = stub_->SendMessage(As("globex").get(), Message("+14155550199", "hi"), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SendTest, IdempotencyKeyRepeatSendsOnceAndReturnsTheSameAnswer) {
  auto req = Message("+14155550199", "Your code is 1234");
  req.set_idempotency_key("order-42-shipped");
  v1::SendMessageResponse first, second;
  ASSERT_TRUE(stub_->SendMessage(As().get(), req, &first).ok());
  ASSERT_TRUE(stub_->SendMessage(As().get(), req, &second).ok());
  EXPECT_FALSE(first.idempotent_replay());
  EXPECT_TRUE(second.idempotent_replay());
  second.clear_idempotent_replay();
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  // A later message to the same recipient lands on the same partition after
  // anything the repeat could have published.
  v1::SendMessageResponse sentinel;
  ASSERT_TRUE(stub_->SendMessage(As().get(), Message("+14155550199", "later"), &sentinel).ok());
  TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kOutboundRequested)});
  auto requests = Requests(reader.WaitForCount(2));
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].message_id(), first.message_id());
  EXPECT_EQ(requests[1].message_id(), sentinel.message_id());
}

TEST_F(SendTest, BatchOfAThousandAnswersPerRecipient) {
  v1::SendBatchRequest req;
  req.set_tenant_id("acme");
  auto* s = req.mutable_settings();
  s->set_sender_pool("promo");
  s->set_template_text("Hi {{name}}, {{offer}}");
  (*s->mutable_variables())["offer"] = "20% off today. Reply STOP to opt out";
  s->set_category(v1::CATEGORY_MARKETING);
  std::set<int> invalid, missing, too_long;
  for (int i = 0; i < 1000; ++i) {
    auto* r = req.add_recipients();
    r->set_to("+1415555" + std::to_string(1000 + i));
    if (i % 100 == 7) {
      r->set_to("555-01");
      invalid.insert(i);
    }
    if (i % 100 == 42) {
      missing.insert(i);
      continue;  // no name
    }
    (*r->mutable_variables())["name"] = i == 500 ? std::string(2000, 'x') : "Pat";
    if (i == 500) too_long.insert(i);
  }
  v1::SendBatchResponse resp;
  grpc::ClientContext ctx;
  ASSERT_TRUE(stub_->SendBatch(&ctx, req, &resp).ok());  // internal caller (cross-tenant)
  ASSERT_EQ(resp.results_size(), 1000);
  EXPECT_EQ(resp.rejected_count(), 21);
  EXPECT_EQ(resp.accepted_count(), 979);
  std::set<std::string> accepted;
  for (int i = 0; i < 1000; ++i) {
    const auto& r = resp.results(i);
    EXPECT_EQ(r.index(), i);
    if (invalid.contains(i)) {
      EXPECT_EQ(r.rejection().reason_code(), v1::REASON_CODE_INVALID_NUMBER) << i;
      EXPECT_EQ(r.rejection().field(), "to");
    } else if (missing.contains(i)) {
      EXPECT_EQ(r.rejection().reason_code(), v1::REASON_CODE_TEMPLATE_VARIABLE_MISSING) << i;
      EXPECT_EQ(r.rejection().field(), "variables.name");
    } else if (too_long.contains(i)) {
      EXPECT_EQ(r.rejection().reason_code(), v1::REASON_CODE_BODY_TOO_LONG);
    } else {
      EXPECT_EQ(r.status(), v1::MESSAGE_STATUS_ACCEPTED) << i;
      EXPECT_TRUE(accepted.insert(r.message_id()).second);
    }
  }
  TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kOutboundRequested)});
  auto requests = Requests(reader.WaitForCount(979));
  std::set<std::string> published;
  for (const auto& r : requests) {
    published.insert(r.message_id());
    EXPECT_EQ(r.batch_id(), resp.batch_id());
    EXPECT_TRUE(r.from() == "+14155550101" || r.from() == "+14155550102");
  }
  EXPECT_EQ(published, accepted);
}

TEST_F(SendTest, BatchIdempotencyKeyReplaysTheWholeAnswer) {
  v1::SendBatchRequest req;
  req.set_tenant_id("acme");
  req.mutable_settings()->set_from("+14155550100");
  req.mutable_settings()->set_body("Store closes early today");
  req.mutable_settings()->set_category(v1::CATEGORY_TRANSACTIONAL);
  req.mutable_settings()->set_idempotency_key("closing-0612");
  req.add_recipients()->set_to("+14155550170");
  req.add_recipients()->set_to("bad");
  v1::SendBatchResponse first, second;
  ASSERT_TRUE(stub_->SendBatch(As().get(), req, &first).ok());
  ASSERT_TRUE(stub_->SendBatch(As().get(), req, &second).ok());
  EXPECT_TRUE(second.idempotent_replay());
  EXPECT_EQ(second.batch_id(), first.batch_id());
  EXPECT_EQ(second.results(0).message_id(), first.results(0).message_id());
  EXPECT_EQ(second.results(1).rejection().reason_code(), v1::REASON_CODE_INVALID_NUMBER);
}

TEST_F(SendTest, BatchStreamChunksAndRecordsTheBatch) {
  grpc::ClientContext ctx;
  v1::SendBatchStreamResponse resp;
  auto writer = stub_->SendBatchStream(&ctx, &resp);
  int index = 0;
  for (int m = 0; m < 4; ++m) {
    v1::SendBatchStreamRequest req;
    if (m == 0) {
      req.set_tenant_id("acme");
      req.mutable_settings()->set_from("+14155550100");
      req.mutable_settings()->set_body("Flash sale");
      req.mutable_settings()->set_category(v1::CATEGORY_MARKETING);
    }
    for (int i = 0; i < 700; ++i, ++index) {
      req.add_recipients()->set_to(index == 1500 ? "nope"
                                                 : "+1312555" + std::to_string(2000 + index));
    }
    ASSERT_TRUE(writer->Write(req));
  }
  writer->WritesDone();
  auto st = writer->Finish();
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.accepted_count(), 2799);
  ASSERT_EQ(resp.rejections_size(), 1);
  EXPECT_EQ(resp.rejections(0).index(), 1500);
  auto snap = status_->Snapshot(resp.batch_id());
  ASSERT_TRUE(snap.ok() && snap->has_value());
  EXPECT_EQ((*snap)->total, 2799);
  EXPECT_FALSE((*snap)->open);
  TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kOutboundRequested)});
  EXPECT_EQ(reader.WaitForCount(2799).size(), 2799u);
}

TEST_F(SendTest, RetriedStreamWithKeySkipsWhatWasAccepted) {
  auto run = [&](int messages) {
    grpc::ClientContext ctx;
    v1::SendBatchStreamResponse resp;
    auto writer = stub_->SendBatchStream(&ctx, &resp);
    for (int m = 0; m < messages; ++m) {
      v1::SendBatchStreamRequest req;
      if (m == 0) {
        req.set_tenant_id("acme");
        req.mutable_settings()->set_from("+14155550100");
        req.mutable_settings()->set_body("Flash sale");
        req.mutable_settings()->set_category(v1::CATEGORY_MARKETING);
        req.mutable_settings()->set_idempotency_key("sale-0612");
      }
      for (int i = 0; i < 500; ++i) {
        req.add_recipients()->set_to("+1312555" + std::to_string(5000 + m * 500 + i));
      }
      EXPECT_TRUE(writer->Write(req));
    }
    writer->WritesDone();
    EXPECT_TRUE(writer->Finish().ok());
    return resp;
  };
  auto first = run(3);  // chunks [0, 1000) and [1000, 1500)
  EXPECT_FALSE(first.idempotent_replay());
  EXPECT_EQ(first.accepted_count(), 1500);
  auto again = run(3);
  EXPECT_TRUE(again.idempotent_replay());
  EXPECT_EQ(again.batch_id(), first.batch_id());
  EXPECT_EQ(again.accepted_count(), 1500);
  // [0, 1000) and [1000, 1500) replay from their stored results; [1500, 2000) is new.
  auto longer = run(4);
  EXPECT_EQ(longer.batch_id(), first.batch_id());
  EXPECT_EQ(longer.accepted_count(), 2000);
  TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kOutboundRequested)});
  // 2,000 distinct recipients, each published once: the retry resent nothing
  // and the longer retry sent only recipients 1500..1999.
  auto requests = Requests(reader.WaitForCount(2000));
  std::set<std::string> ids;
  for (const auto& r : requests) ids.insert(r.to());
  EXPECT_EQ(ids.size(), 2000u);
  EXPECT_EQ(requests.size(), 2000u);
}

TEST_F(SendTest, KafkaDownIsUnavailableAndNothingIsAcknowledged) {
  kafka_.TakeBrokersDown();
  auto req = Message("+14155550199", "hello");
  req.set_idempotency_key("while-down");
  v1::SendMessageResponse resp;
  auto st = stub_->SendMessage(As().get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  kafka_.BringBrokersUp();
  // The failed attempt released its key: a retry sends (it is not a replay).
  ASSERT_TRUE(stub_->SendMessage(As().get(), req, &resp).ok());
  EXPECT_FALSE(resp.idempotent_replay());
}

}  // namespace
}  // namespace smsflow::sender
