#pragma once
// The gate wired like the binary (GateConsumer + GatePipeline + releaser)
// against a real devkafka cluster and a real redis-server, with a
// ManualClock so tests move time instead of waiting for it.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <vector>

#include "lib/consent_view/consent_view.h"
#include "lib/kafka/topics.h"
#include "lib/store/cancellations.h"
#include "lib/store/idempotency.h"
#include "lib/testing/stack_fixture.h"
#include "lib/testing/topic_reader.h"
#include "services/consent/gate/gate_consumer.h"
#include "services/consent/gate/releaser.h"
#include "services/consent/gate/tests/gate_test_util.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::consent::gate::testing {

class GateFixture : public smsflow::testing::StackFixture {
 protected:
  GateFixture() : StackFixture({.delivery_timeout = std::chrono::milliseconds(3000)}) {}

  void SetUp() override {
    StackFixture::SetUp();
    view_ = std::make_unique<consentview::ConsentView>(*pool_);
    MarkViewReady();
    // Short takeover: a claim left pending by a Redis outage is retaken soon.
    decided_ = std::make_unique<store::IdempotencyStore>(
        *pool_, "smsflow:gate:decided:", std::chrono::hours(96), std::chrono::seconds(1));
    compliance_ = std::make_unique<store::IdempotencyStore>(
        *pool_, "smsflow:gate:compliance:", std::chrono::hours(96), std::chrono::seconds(1));
    caps_ = std::make_unique<RedisCapLedger>(*pool_);
    deferred_ = std::make_unique<DeferredStore>(*pool_);
    // Ready as the DeferredGuardian leaves a store restored from its journal.
    ASSERT_TRUE(*deferred_->marker().BeginRestore("gate-fixture", std::chrono::seconds(60)));
    ASSERT_TRUE(deferred_->marker().MarkReady("gate-fixture").ok());
    cancellations_ = std::make_unique<store::CancellationStore>(*pool_);
    metrics_ = std::make_unique<GateMetrics>(registry_);
    decider_ = MakeDecider();
    pipeline_ = std::make_unique<GatePipeline>(
        *decider_,
        GateStores{view_.get(), decided_.get(), compliance_.get(), caps_.get(), deferred_.get(),
                   cancellations_.get()},
        *producer_, clock_, *metrics_);
    releaser_ = std::make_unique<DeferredReleaser>(
        *deferred_, *pipeline_, clock_, *metrics_,
        ReleaserOptions{.batch = 100, .poll_interval = absl::Milliseconds(50)});
    std::vector<std::string> topics = {std::string(kafka::topics::kDelivery),
                                       std::string(kafka::topics::kOutboundDeferred)};
    for (auto lane : kafka::topics::kApprovedLanes) topics.emplace_back(lane);
    reader_ = std::make_unique<smsflow::testing::TopicReader>(kafka_.bootstrap(), topics);
    kafka::ConsumerOptions copts = GateConsumerOptions(kafka_.bootstrap());
    copts.extra = smsflow::testing::FastConsumerGroup();
    consumer_ = std::make_unique<GateConsumer>(copts, *pipeline_, *producer_);
    ASSERT_TRUE(consumer_->Start().ok());
  }
  void TearDown() override {
    releaser_->Stop();
    consumer_->Stop();
    StackFixture::TearDown();
  }

  // Ready as consent's ViewGuardian leaves a view restored from the ledger.
  void MarkViewReady() {
    ASSERT_TRUE(*view_->BeginRestore("gate-fixture", std::chrono::seconds(60)));
    ASSERT_TRUE(view_->MarkReady("gate-fixture").ok());
  }

  void Publish(const v1::OutboundRequest& r) {
    PublishSync(std::string(kafka::topics::kOutboundRequested), r.tenant_id() + "|" + r.to(), r);
  }

  void Seed(const v1::ConsentState& state, int64_t version = 1) {
    ASSERT_TRUE(view_->PutAll({{state, version}}).ok());
  }

  std::vector<v1::DeliveryEvent> Events(const std::string& message_id) {
    std::vector<v1::DeliveryEvent> out;
    for (const kafka::Message& m : reader_->Messages()) {
      if (m.topic != kafka::topics::kDelivery || m.key != message_id) continue;
      v1::DeliveryEvent e;
      EXPECT_TRUE(e.ParseFromString(m.value));
      out.push_back(e);
    }
    return out;
  }
  // Approved records of `message_id`, with the lane topic each came on.
  std::vector<std::pair<std::string, v1::ApprovedMessage>> Approved(const std::string& message_id) {
    std::vector<std::pair<std::string, v1::ApprovedMessage>> out;
    for (const kafka::Message& m : reader_->Messages()) {
      if (m.topic == kafka::topics::kDelivery || m.topic == kafka::topics::kOutboundDeferred) {
        continue;
      }
      v1::ApprovedMessage a;
      EXPECT_TRUE(a.ParseFromString(m.value));
      if (a.request().message_id() == message_id) out.emplace_back(m.topic, a);
    }
    return out;
  }
  // Journal records (sms.outbound.deferred.v1) of `message_id`, in order.
  std::vector<kafka::Message> Journal(const std::string& message_id) {
    std::vector<kafka::Message> out;
    for (const kafka::Message& m : reader_->Messages()) {
      if (m.topic == kafka::topics::kOutboundDeferred && m.key == message_id) out.push_back(m);
    }
    return out;
  }
  // Waits for the n-th event of a message and returns its status.
  v1::MessageStatus WaitStatus(const std::string& message_id, size_t n = 1) {
    smsflow::testing::WaitFor([&] { return Events(message_id).size() >= n; });
    auto events = Events(message_id);
    return events.size() >= n ? events[n - 1].status() : v1::MESSAGE_STATUS_UNSPECIFIED;
  }

  ManualClock clock_{Noon()};
  std::unique_ptr<consentview::ConsentView> view_;
  std::unique_ptr<store::IdempotencyStore> decided_, compliance_;
  std::unique_ptr<RedisCapLedger> caps_;
  std::unique_ptr<DeferredStore> deferred_;
  std::unique_ptr<store::CancellationStore> cancellations_;
  std::unique_ptr<GateMetrics> metrics_;
  std::unique_ptr<GateDecider> decider_;
  std::unique_ptr<GatePipeline> pipeline_;
  std::unique_ptr<DeferredReleaser> releaser_;
  std::unique_ptr<smsflow::testing::TopicReader> reader_;
  std::unique_ptr<GateConsumer> consumer_;
};

}  // namespace smsflow::consent::gate::testing
