#pragma once
// Dispatchers wired like the binary, against a real devkafka cluster and a
// real redis-server, with one simulated carrier network shared by every
// dispatcher of the test (the carrier is outside the process in production).

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/consent_view/testing/ready_keeper.h"
#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"
#include "lib/testing/stack_fixture.h"
#include "lib/testing/topic_reader.h"
#include "lib/testing/wait.h"
#include "services/sender/dispatch/dispatcher.h"
#include "services/sender/dispatch/sim_carrier.h"
#include "services/sender/dispatch/validity.h"

namespace smsflow::sender {

inline constexpr char kFast[] = "+14155550100";  // rate 100000/s
inline constexpr char kSlow[] = "+14155550101";  // rate from the test (default 50/s)

inline std::string TestTenants(double slow_rate) {
  return R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", type: toll_free, scope: main, rate: 100000}
      - {number: "+14155550101", type: toll_free, scope: main, rate: )" +
         std::to_string(slow_rate) + "}\n";
}

class DispatchFixture : public testing::StackFixture {
 protected:
  DispatchFixture() : StackFixture({.redis_connections = 8}) {}

  void SetUp() override {
    StackFixture::SetUp();
    Init(50);
  }
  void TearDown() override {
    for (auto& d : dispatchers_) d->Stop();
    StackFixture::TearDown();
  }

  void Init(double slow_rate) {
    claims_ = std::make_unique<store::IdempotencyStore>(
        *pool_, "smsflow:sender:dispatch:", std::chrono::hours(24), std::chrono::seconds(2));
    cancellations_ = std::make_unique<store::CancellationStore>(*pool_);
    consent_ready_.reset();  // before the view it watches
    consent_ = std::make_unique<consentview::ConsentView>(*pool_);
    // Ready as consent's ViewGuardian keeps it (also after a Redis restart).
    consent_ready_ = std::make_unique<consentview::testing::ReadyKeeper>(*consent_);
    index_ = std::make_unique<store::ProviderIdIndex>(*pool_);
    limiter_ = std::make_unique<RedisRateLimiter>(*pool_);
    tenants_ = *config::TenantDirectory::FromYaml(TestTenants(slow_rate));
    policy_ = std::make_shared<RateLimitPolicy>(RateLimitOptions{}, tenants_);
    metrics_ = std::make_unique<DispatchMetrics>(registry_);
  }

  // Starts a dispatcher in consumer group `group` with its own connection to
  // the shared carrier network.
  Dispatcher* StartDispatcher(const std::string& group, SimCarrierOptions sim = {},
                              DispatcherOptions opts = {}) {
    opts.consumer.brokers = kafka_.bootstrap();
    opts.consumer.group_id = group;
    opts.consumer.max_batch = 500;
    opts.consumer.extra = testing::FastConsumerGroup();
    opts.consumer.on_assigned = [this](const kafka::TopicPartitions& tps) {
      assigned_ += static_cast<int>(tps.size());
    };
    DispatcherDeps deps{producer_.get(), claims_.get(), cancellations_.get(),
                        consent_.get(),  index_.get(),  limiter_.get(),
                        policy_,         tenants_,      metrics_.get()};
    auto d = std::make_unique<Dispatcher>(deps, opts, [this, sim](ReceiptSink sink) {
      return std::make_unique<SimCarrier>(network_, sim, std::move(sink));
    });
    EXPECT_TRUE(d->Start().ok());
    dispatchers_.push_back(std::move(d));
    return dispatchers_.back().get();
  }

  // Waits until `partitions` lane partitions are assigned (4 lanes x 4).
  bool WaitAssigned(int partitions = 16) {
    return testing::WaitFor([&] { return assigned_.load() >= partitions; },
                            std::chrono::seconds(30));
  }

  static v1::ApprovedMessage Approved(const std::string& from, int i, v1::Lane lane,
                                      v1::Category category = v1::CATEGORY_TRANSACTIONAL) {
    v1::ApprovedMessage m;
    v1::OutboundRequest* r = m.mutable_request();
    r->set_message_id(sms::NewMessageId());
    r->set_tenant_id("acme");
    r->set_sender_scope("main");
    r->set_from(from);
    r->set_to("+1312555" + std::to_string(1000000 + i).substr(1));
    r->set_body("Your order " + std::to_string(i) + " has shipped");
    r->set_encoding(v1::ENCODING_GSM7);
    r->set_segments(1);
    r->set_category(category);
    *r->mutable_expire_time() = ToProtoTime(absl::Now() + absl::Hours(1));
    m.set_lane(lane);
    *m.mutable_approve_time() = ToProtoTime(absl::Now());
    return m;
  }

  void Publish(const std::vector<v1::ApprovedMessage>& messages) {
    std::vector<kafka::Record> records;
    for (const auto& m : messages) {
      kafka::Record r;
      r.topic = std::string(kafka::topics::kApprovedLanes[m.lane() - 1]);
      r.key = m.request().tenant_id() + "|" + m.request().to();
      r.value = m.SerializeAsString();
      r.headers.push_back({std::string(kafka::kTypeHeader), m.GetTypeName()});
      records.push_back(std::move(r));
    }
    for (const auto& res : producer_->SendAll(std::move(records))) ASSERT_TRUE(res.ok());
  }

  // message id -> statuses seen on sms.delivery.v1 (in topic order).
  std::map<std::string, std::vector<v1::DeliveryEvent>> Events() {
    std::map<std::string, std::vector<v1::DeliveryEvent>> out;
    for (const auto& m : delivery_.Messages()) {
      v1::DeliveryEvent e;
      if (e.ParseFromString(m.value)) out[e.message_id()].push_back(e);
    }
    return out;
  }
  static bool Has(const std::vector<v1::DeliveryEvent>& events, v1::MessageStatus s) {
    for (const auto& e : events) {
      if (e.status() == s) return true;
    }
    return false;
  }
  // True when every id has an event with status `s`.
  bool AllHave(const std::vector<std::string>& ids, v1::MessageStatus s) {
    auto events = Events();
    for (const auto& id : ids) {
      if (!Has(events[id], s)) return false;
    }
    return true;
  }

  testing::TopicReader delivery_{kafka_.bootstrap(), {std::string(kafka::topics::kDelivery)}};
  std::unique_ptr<store::IdempotencyStore> claims_;
  std::unique_ptr<store::CancellationStore> cancellations_;
  std::unique_ptr<consentview::ConsentView> consent_;
  std::unique_ptr<consentview::testing::ReadyKeeper> consent_ready_;
  std::unique_ptr<store::ProviderIdIndex> index_;
  std::unique_ptr<RedisRateLimiter> limiter_;
  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::shared_ptr<RateLimitPolicy> policy_;
  std::unique_ptr<DispatchMetrics> metrics_;
  SimCarrierNetwork network_;
  std::atomic<int> assigned_{0};
  std::vector<std::unique_ptr<Dispatcher>> dispatchers_;
};

}  // namespace smsflow::sender
