// The status view: DeliveryEvents published on sms.delivery.v1 (as the gate,
// the dispatcher and ingest would) folded by StatusTracker, read through
// GetMessage, WatchBatch and CancelBatch.

#include <thread>

#include "services/sender/api/tests/sender_fixture.h"

namespace smsflow::sender {
namespace {

using testing::WaitFor;
using S = v1::MessageStatus;

class StatusTest : public SenderFixture {
 protected:
  void SetUp() override {
    SenderFixture::SetUp();
    StartTracker();
  }

  int64_t now_ms_ = absl::ToUnixMillis(absl::Now());
  int64_t Later(int64_t ms) { return now_ms_ + ms; }

  v1::SendBatchResponse Batch(int n) {
    v1::SendBatchRequest req;
    req.set_tenant_id("acme");
    req.mutable_settings()->set_from("+14155550100");
    req.mutable_settings()->set_body("Your appointment is tomorrow");
    req.mutable_settings()->set_category(v1::CATEGORY_TRANSACTIONAL);
    for (int i = 0; i < n; ++i) req.add_recipients()->set_to("+1415555" + std::to_string(3000 + i));
    v1::SendBatchResponse resp;
    EXPECT_TRUE(stub_->SendBatch(As().get(), req, &resp).ok());
    return resp;
  }

  bool HistoryHas(const std::string& id, size_t n) {
    return static_cast<size_t>(Get(id, true).history_size()) >= n;
  }
};

TEST_F(StatusTest, GetMessageFollowsEventsInAnyOrderAndFinalsStick) {
  v1::SendMessageResponse sent;
  ASSERT_TRUE(stub_->SendMessage(As().get(), Message("+14155550199", "hi"), &sent).ok());
  const std::string id = sent.message_id();
  EXPECT_EQ(Get(id).status(), S::MESSAGE_STATUS_ACCEPTED);
  now_ms_ = absl::ToUnixMillis(absl::Now());  // later events happen after acceptance

  // SENT overtakes QUEUED: the late QUEUED does not move the status back.
  Publish(id, S::MESSAGE_STATUS_SENT, Later(30));
  Publish(id, S::MESSAGE_STATUS_QUEUED, Later(10));
  ASSERT_TRUE(WaitFor([&] { return HistoryHas(id, 3); }));  // ACCEPTED + 2
  EXPECT_EQ(Get(id).status(), S::MESSAGE_STATUS_SENT);

  // A final status is never replaced, not even by a later non-final event.
  Publish(id, S::MESSAGE_STATUS_DELIVERED, Later(50));
  Publish(id, S::MESSAGE_STATUS_SENDING, Later(60));
  ASSERT_TRUE(WaitFor([&] { return HistoryHas(id, 5); }));
  auto msg = Get(id, true);
  EXPECT_EQ(msg.status(), S::MESSAGE_STATUS_DELIVERED);
  EXPECT_EQ(msg.tenant_id(), "acme");
  EXPECT_EQ(msg.to(), "+14155550199");
  EXPECT_EQ(msg.lane(), v1::LANE_TRANSACTIONAL);
  ASSERT_EQ(msg.history_size(), 5);
  EXPECT_EQ(msg.history(0).status(), S::MESSAGE_STATUS_ACCEPTED);  // oldest first by event time
  EXPECT_EQ(msg.history(4).status(), S::MESSAGE_STATUS_SENDING);

  // Another tenant cannot see it; an unknown id is NOT_FOUND.
  v1::GetMessageRequest req;
  req.set_tenant_id("globex");
  req.set_message_id(id);
  v1::GetMessageResponse resp;
  EXPECT_EQ(stub_->GetMessage(As("globex").get(), req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_tenant_id("acme");
  req.set_message_id(sms::NewMessageId());
  EXPECT_EQ(stub_->GetMessage(As().get(), req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatusTest, MultipartIsDeliveredOnlyWhenEveryPartIs) {
  v1::SendMessageResponse sent;
  ASSERT_TRUE(
      stub_->SendMessage(As().get(), Message("+14155550198", std::string(400, 'a')), &sent).ok());
  ASSERT_EQ(sent.segments(), 3);
  const std::string id = sent.message_id();
  Publish(id, S::MESSAGE_STATUS_SENT, Later(10), 0, 3);
  Publish(id, S::MESSAGE_STATUS_DELIVERED, Later(20), 3, 3, "ev-part3");
  Publish(id, S::MESSAGE_STATUS_DELIVERED, Later(21), 3, 3, "ev-part3");  // redelivered
  Publish(id, S::MESSAGE_STATUS_DELIVERED, Later(22), 1, 3);
  ASSERT_TRUE(WaitFor([&] { return HistoryHas(id, 4); }));
  auto msg = Get(id);
  EXPECT_EQ(msg.status(), S::MESSAGE_STATUS_SENT);
  Publish(id, S::MESSAGE_STATUS_DELIVERED, Later(30), 2, 3);
  ASSERT_TRUE(WaitFor([&] { return Get(id).status() == S::MESSAGE_STATUS_DELIVERED; }));
  msg = Get(id);
  EXPECT_EQ(msg.provider_message_ids_size(), 3);
  EXPECT_EQ(msg.provider_message_ids(0), "sim-1");
  EXPECT_EQ(msg.provider_message_ids(2), "sim-3");
}

TEST_F(StatusTest, WatchBatchStreamsChangesAndCountsUntilDone) {
  auto batch = Batch(4);
  ASSERT_EQ(batch.accepted_count(), 4);
  grpc::ClientContext ctx;
  ctx.AddMetadata(server::kTenantMetadataKey, "acme");
  v1::WatchBatchRequest wreq;
  wreq.set_tenant_id("acme");
  wreq.set_batch_id(batch.batch_id());
  auto reader = stub_->WatchBatch(&ctx, wreq);
  v1::WatchBatchResponse first;
  ASSERT_TRUE(reader->Read(&first));
  EXPECT_EQ(first.progress().total(), 4);
  ASSERT_EQ(first.progress().status_counts_size(), 1);
  EXPECT_EQ(first.progress().status_counts(0).status(), S::MESSAGE_STATUS_ACCEPTED);
  EXPECT_FALSE(first.progress().done());

  std::vector<std::string> ids;
  for (const auto& r : batch.results()) ids.push_back(r.message_id());
  std::thread feeder([&] {
    Publish(ids[0], S::MESSAGE_STATUS_DELIVERED, Later(10));
    Publish(ids[1], S::MESSAGE_STATUS_REJECTED, Later(10));
    Publish(ids[2], S::MESSAGE_STATUS_SENT, Later(10));
    Publish(ids[2], S::MESSAGE_STATUS_QUEUED, Later(5));            // late: no change, no update
    Publish(ids[3], S::MESSAGE_STATUS_DELIVERED, Later(10), 1, 2);  // one part: SENT
    Publish(ids[3], S::MESSAGE_STATUS_DELIVERED, Later(11), 2, 2);
    Publish(ids[2], S::MESSAGE_STATUS_UNDELIVERED, Later(20));
  });
  std::vector<v1::DeliveryEvent> events;
  v1::WatchBatchResponse update, last;
  while (reader->Read(&update)) {
    for (const auto& e : update.events()) events.push_back(e);
    last = update;
  }
  feeder.join();
  auto st = reader->Finish();
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(last.progress().done());
  std::map<int, int64_t> counts;
  for (const auto& sc : last.progress().status_counts()) counts[sc.status()] = sc.count();
  EXPECT_EQ(counts, (std::map<int, int64_t>{{S::MESSAGE_STATUS_DELIVERED, 2},
                                            {S::MESSAGE_STATUS_UNDELIVERED, 1},
                                            {S::MESSAGE_STATUS_REJECTED, 1}}));
  // Message-level changes only: ids[3]'s parts show as SENT then DELIVERED.
  std::vector<S> of3;
  for (const auto& e : events) {
    if (e.message_id() == ids[3]) of3.push_back(e.status());
    EXPECT_NE(e.status(), S::MESSAGE_STATUS_QUEUED);
  }
  EXPECT_EQ(of3, (std::vector<S>{S::MESSAGE_STATUS_SENT, S::MESSAGE_STATUS_DELIVERED}));
  EXPECT_EQ(events.size(), 6u);
}

TEST_F(StatusTest, WatchBatchEndsCleanlyWhenTheClientCancels) {
  auto batch = Batch(2);
  grpc::ClientContext ctx;
  v1::WatchBatchRequest wreq;
  wreq.set_tenant_id("acme");
  wreq.set_batch_id(batch.batch_id());
  wreq.set_counts_only(true);
  auto reader = stub_->WatchBatch(&ctx, wreq);
  v1::WatchBatchResponse first;
  ASSERT_TRUE(reader->Read(&first));
  ASSERT_TRUE(WaitFor([&] { return metrics_->watchers.Value() == 1; }));
  ctx.TryCancel();
  v1::WatchBatchResponse more;
  while (reader->Read(&more)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  EXPECT_TRUE(WaitFor([&] { return metrics_->watchers.Value() == 0; }));
}

TEST_F(StatusTest, CancelBatchMarksItAndCountsWhatWasNotSent) {
  auto batch = Batch(4);
  const std::string id0 = batch.results(0).message_id();
  Publish(id0, S::MESSAGE_STATUS_SENT, Later(10));
  ASSERT_TRUE(WaitFor([&] { return Get(id0).status() == S::MESSAGE_STATUS_SENT; }));
  v1::CancelBatchRequest req;
  req.set_tenant_id("acme");
  req.set_batch_id(batch.batch_id());
  v1::CancelBatchResponse resp;
  ASSERT_TRUE(stub_->CancelBatch(As().get(), req, &resp).ok());
  EXPECT_EQ(resp.canceled_count(), 3);
  EXPECT_EQ(resp.progress().total(), 4);
  auto marked = cancellations_->CanceledAll({{batch.results(1).message_id(), batch.batch_id()}});
  ASSERT_TRUE(marked.ok());
  EXPECT_TRUE((*marked)[0]);
  // Safe to repeat: nothing new is canceled.
  ASSERT_TRUE(stub_->CancelBatch(As().get(), req, &resp).ok());
  EXPECT_EQ(resp.canceled_count(), 0);
  // Another tenant's caller, or an unknown batch: NOT_FOUND.
  req.set_tenant_id("globex");
  EXPECT_EQ(stub_->CancelBatch(As("globex").get(), req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req.set_tenant_id("acme");
  req.set_batch_id(sms::NewMessageId());
  EXPECT_EQ(stub_->CancelBatch(As().get(), req, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(StatusTest, RedisOutageDelaysTrackingButLosesNothing) {
  redis_.Stop();
  // Without an idempotency key a send needs only Kafka; the view catches up.
  v1::SendMessageResponse sent;
  ASSERT_TRUE(stub_->SendMessage(As().get(), Message("+14155550197", "hi"), &sent).ok());
  // With one, Redis is needed to promise "once": UNAVAILABLE, nothing sent.
  auto keyed = Message("+14155550197", "hi");
  keyed.set_idempotency_key("k1");
  v1::SendMessageResponse unused;
  EXPECT_EQ(stub_->SendMessage(As().get(), keyed, &unused).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  Publish(sent.message_id(), S::MESSAGE_STATUS_DELIVERED, Later(100));
  ASSERT_TRUE(WaitFor([&] { return tracker_consumer_->Stats().retried > 0; }));
  redis_.Start();
  ASSERT_TRUE(WaitFor([&] {
    v1::GetMessageRequest req;
    req.set_tenant_id("acme");
    req.set_message_id(sent.message_id());
    v1::GetMessageResponse resp;
    return stub_->GetMessage(As().get(), req, &resp).ok() &&
           resp.message().status() == S::MESSAGE_STATUS_DELIVERED;
  }));
}

}  // namespace
}  // namespace smsflow::sender
