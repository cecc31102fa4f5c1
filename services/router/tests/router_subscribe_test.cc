// Subscribe: routed messages for one tenant's destination, fanned out from
// sms.routed.v1; back-pressure and cancellation.
#include "services/router/tests/router_fixture.h"

namespace smsflow::router {
namespace {

class SubscribeTest : public RouterFixture {
 protected:
  struct Stream {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<v1::SubscribeResponse>> reader;
  };
  std::unique_ptr<Stream> Open(v1::RouterService::Stub& stub, const std::string& tenant,
                               const std::string& destination) {
    auto s = std::make_unique<Stream>();
    v1::SubscribeRequest req;
    req.set_tenant_id(tenant);
    req.set_destination(destination);
    s->reader = stub.Subscribe(&s->ctx, req);
    s->reader->WaitForInitialMetadata();  // registered with the hub
    return s;
  }
  // The fan-out consumer starts at the end of sms.routed.v1 once it has its
  // partitions: send probes to `body`'s destination until one arrives.
  void Prime(Stream& s, const std::string& body) {
    ASSERT_TRUE(testing::WaitFor([&] { return router_->fanout_assigned.load(); }));
    v1::SubscribeResponse resp;
    for (int attempt = 0; attempt < 20; ++attempt) {
      Send(Inbound(body, "acme", "+14155550999"));
      // Read blocks; the probe normally arrives within a second.
      if (s.reader->Read(&resp)) return;
    }
    FAIL() << "fan-out never delivered a probe";
  }
};

TEST_F(SubscribeTest, ReceivesWhatIsRoutedToItsDestinationAndNothingElse) {
  auto billing = Open(*router_->stub, "acme", "billing");
  Prime(*billing, "BAL");
  const v1::InboundMessage mine1 = Inbound("balance");
  const v1::InboundMessage support = Inbound("I need help with my order");
  const v1::InboundMessage other_tenant = Inbound("balance", "globex");
  const v1::InboundMessage mine2 = Inbound("BAL", "acme", "+14155550124");
  Send(mine1);
  Send(support);
  Send(other_tenant);
  Send(mine2);
  const v1::InboundMessage marker = Inbound("balance", "acme", "+14155550125");
  // The marker is sent after the others were routed, so anything else would
  // arrive before it.
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  ASSERT_TRUE(WaitRouted(routed, other_tenant.message_id()).has_value());
  ASSERT_TRUE(WaitRouted(routed, support.message_id()).has_value());
  ASSERT_TRUE(WaitRouted(routed, mine2.message_id()).has_value());
  Send(marker);
  std::set<std::string> got;
  v1::SubscribeResponse resp;
  while (got.count(marker.message_id()) == 0 && billing->reader->Read(&resp)) {
    const auto& m = resp.routed_message();
    EXPECT_EQ(m.message().tenant_id(), "acme");
    EXPECT_EQ(m.classification().destination(), "billing");
    got.insert(m.message().message_id());
  }
  EXPECT_EQ(got,
            (std::set<std::string>{mine1.message_id(), mine2.message_id(), marker.message_id()}));
  billing->ctx.TryCancel();
  billing->reader->Finish();
}

TEST_F(SubscribeTest, EveryStreamOfADestinationGetsEachMessage) {
  auto a = Open(*router_->stub, "acme", "billing");
  auto b = Open(*router_->stub, "acme", "billing");
  Prime(*a, "BAL");
  v1::SubscribeResponse resp;
  ASSERT_TRUE(b->reader->Read(&resp));  // the probe a got, b got too
  const v1::InboundMessage in = Inbound("balance", "acme", "+14155550126");
  Send(in);
  for (auto* s : {a.get(), b.get()}) {
    do {
      ASSERT_TRUE(s->reader->Read(&resp));
    } while (resp.routed_message().message().message_id() != in.message_id());
  }
  for (auto* s : {a.get(), b.get()}) {
    s->ctx.TryCancel();
    s->reader->Finish();
  }
}

TEST_F(SubscribeTest, CancelledStreamIsRemovedAndForeignTenantDenied) {
  auto s = Open(*router_->stub, "acme", "billing");
  EXPECT_EQ(router_->hub->size(), 1u);
  s->ctx.TryCancel();
  s->reader->Finish();
  EXPECT_TRUE(testing::WaitFor([&] { return router_->hub->size() == 0; }));

  grpc::ClientContext ctx;
  ctx.AddMetadata(server::kTenantMetadataKey, "globex");
  v1::SubscribeRequest req;
  req.set_tenant_id("acme");
  req.set_destination("billing");
  auto reader = router_->stub->Subscribe(&ctx, req);
  v1::SubscribeResponse resp;
  EXPECT_FALSE(reader->Read(&resp));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);

  grpc::ClientContext bad;
  req.set_destination("Not A Queue");
  auto bad_reader = router_->stub->Subscribe(&bad, req);
  EXPECT_FALSE(bad_reader->Read(&resp));
  grpc::Status st = bad_reader->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("destination"), std::string::npos);
}

TEST_F(SubscribeTest, SlowSubscriberIsEndedAndRoutingGoesOn) {
  router_.reset();
  Start({.subscriber_queue = 4});
  // A client that never reads. Its transport still accepts data up to its
  // flow-control window, so the test pushes far more than that (2 KiB
  // bodies) straight into the hub, as the fan-out consumer would.
  auto slow = Open(*router_->stub, "acme", "billing");
  v1::RoutedMessage big;
  big.mutable_message()->set_tenant_id("acme");
  big.mutable_message()->set_body(std::string(2048, 'x'));
  big.mutable_classification()->set_destination("billing");
  ASSERT_TRUE(testing::WaitFor([&] {
    for (int i = 0; i < 50; ++i) router_->hub->Publish(big);
    return router_->hub->size() == 0;
  }));
  EXPECT_GE(router_->Counter("smsflow_router_subscriber_drops_total"), 1);
  // The stream ends: RESOURCE_EXHAUSTED when the handler saw the overflow
  // between writes, CANCELLED when it was stuck writing to a reader that had
  // stopped reading (no status can reach such a reader).
  v1::SubscribeResponse resp;
  while (slow->reader->Read(&resp)) {
  }
  const grpc::StatusCode code = slow->reader->Finish().error_code();
  EXPECT_TRUE(code == grpc::StatusCode::RESOURCE_EXHAUSTED || code == grpc::StatusCode::CANCELLED)
      << code;

  // Routing never waited for it.
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  const v1::InboundMessage in = Inbound("balance");
  Send(in);
  ASSERT_TRUE(WaitRouted(routed, in.message_id()).has_value());
}

TEST_F(SubscribeTest, ShutdownEndsStreamsWithUnavailable) {
  auto s = Open(*router_->stub, "acme", "billing");
  router_->hub->Close();
  v1::SubscribeResponse resp;
  EXPECT_FALSE(s->reader->Read(&resp));
  EXPECT_EQ(s->reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace smsflow::router
