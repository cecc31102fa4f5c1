#pragma once
// A SenderService on port 0 wired like the binary (API half), against a real
// devkafka cluster and a real redis-server. The status tracker consumer is
// started only by tests that need it (its first group join takes ~3 s).

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "lib/kafka/consumer.h"
#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"
#include "lib/store/cancellations.h"
#include "lib/store/idempotency.h"
#include "lib/testing/stack_fixture.h"
#include "lib/testing/topic_reader.h"
#include "lib/testing/wait.h"
#include "services/sender/api/send_pipeline.h"
#include "services/sender/api/sender_service.h"
#include "services/sender/api/status_store.h"
#include "services/sender/api/status_tracker.h"

namespace smsflow::sender {

inline constexpr char kTestTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
      - {number: "+14155550101", scope: promo}
      - {number: "+14155550102", scope: promo}
  - id: globex
    brand: {name: Globex, description: reminders, frequency: varies, support: g@globex.example}
    numbers:
      - {number: "+13125550100"}
)";

class SenderFixture : public testing::StackFixture {
 protected:
  SenderFixture() : StackFixture({.delivery_timeout = std::chrono::milliseconds(3000)}) {}

  void SetUp() override {
    StackFixture::SetUp();
    metrics_ = std::make_unique<SenderApiMetrics>(registry_);
    idempotency_ = std::make_unique<store::IdempotencyStore>(
        *pool_, "smsflow:sender:idem:", std::chrono::hours(24), std::chrono::seconds(10));
    status_ = std::make_unique<StatusStore>(*pool_);
    cancellations_ = std::make_unique<store::CancellationStore>(*pool_);
    limits_.stream_chunk = 1000;
    pipeline_ = std::make_unique<SendPipeline>(*config::TenantDirectory::FromYaml(kTestTenants),
                                               nullptr, *producer_, idempotency_.get(),
                                               status_.get(), *metrics_, limits_);
    service_ =
        std::make_unique<SenderServiceImpl>(*pipeline_, *status_, *cancellations_, *metrics_,
                                            WatchSettings{.block = std::chrono::milliseconds(200)});
    stub_ = v1::SenderService::NewStub(Serve("sender", {service_.get()}));
  }
  void TearDown() override {
    StackFixture::TearDown();
    if (tracker_consumer_) tracker_consumer_->Stop();
  }

  void StartTracker() {
    tracker_ = std::make_unique<StatusTracker>(*status_, *metrics_);
    auto opts = StatusTracker::Options(kafka_.bootstrap());
    opts.extra = testing::FastConsumerGroup();
    tracker_consumer_ =
        std::make_unique<kafka::Consumer>(opts, tracker_->Handler(), producer_.get());
    ASSERT_TRUE(tracker_consumer_->Start().ok());
  }

  // A call context acting as a caller confined to `tenant`.
  static std::unique_ptr<grpc::ClientContext> As(const std::string& tenant = "acme") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata(server::kTenantMetadataKey, tenant);
    return ctx;
  }

  static v1::SendMessageRequest Message(const std::string& to, const std::string& body) {
    v1::SendMessageRequest r;
    r.set_tenant_id("acme");
    r.set_from("+14155550100");
    r.set_to(to);
    r.set_body(body);
    r.set_category(v1::CATEGORY_TRANSACTIONAL);
    return r;
  }

  // A DeliveryEvent as the gate, dispatcher or ingest would publish it.
  void Publish(const std::string& message_id, v1::MessageStatus status, int64_t event_ms,
               int part = 0, int part_count = 0, const std::string& event_id = "") {
    v1::DeliveryEvent e;
    e.set_event_id(event_id.empty() ? sms::NewMessageId() : event_id);
    e.set_message_id(message_id);
    e.set_tenant_id("acme");
    e.set_status(status);
    e.set_part_number(part);
    e.set_part_count(part_count);
    if (part > 0) e.set_provider_message_id("sim-" + std::to_string(part));
    e.mutable_event_time()->set_seconds(event_ms / 1000);
    e.mutable_event_time()->set_nanos(static_cast<int>(event_ms % 1000) * 1000000);
    e.set_reporter("dispatcher");
    PublishSync(std::string(kafka::topics::kDelivery), message_id, e);
  }

  v1::OutboundMessage Get(const std::string& id, bool history = false) {
    v1::GetMessageRequest req;
    req.set_tenant_id("acme");
    req.set_message_id(id);
    req.set_include_history(history);
    v1::GetMessageResponse resp;
    auto st = stub_->GetMessage(As().get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.message();
  }

  SendLimits limits_;
  std::unique_ptr<SenderApiMetrics> metrics_;
  std::unique_ptr<store::IdempotencyStore> idempotency_;
  std::unique_ptr<StatusStore> status_;
  std::unique_ptr<store::CancellationStore> cancellations_;
  std::unique_ptr<SendPipeline> pipeline_;
  std::unique_ptr<SenderServiceImpl> service_;
  std::unique_ptr<v1::SenderService::Stub> stub_;
  std::unique_ptr<StatusTracker> tracker_;
  std::unique_ptr<kafka::Consumer> tracker_consumer_;
};

}  // namespace smsflow::sender
