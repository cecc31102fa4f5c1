#pragma once
// The router wired like the binary (rule registry on Redis, inbound consumer,
// fan-out consumer, gRPC on port 0) against a real devkafka cluster and a
// real redis-server. RouterInstance can be destroyed and built again on the
// same Kafka and Redis to simulate a restart, or built twice for two replicas.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>

#include "lib/kafka/topics.h"
#include "lib/server/service_host.h"
#include "lib/sms/message_id.h"
#include "lib/testing/stack_fixture.h"
#include "lib/testing/topic_reader.h"
#include "lib/testing/wait.h"
#include "services/router/service/inbound_handler.h"
#include "services/router/service/routed_fanout.h"
#include "services/router/service/router_service.h"

namespace smsflow::router {

inline constexpr char kFixtureTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
  - id: globex
    brand: {name: Globex, description: reminders, frequency: varies, support: g@globex.example}
    numbers:
      - {number: "+13125550100"}
    keywords: {opt_out: [ALTO]}
)";

inline constexpr char kFixtureRules[] = R"(
tenants:
  acme:
    variables: {store_hours: "9am-5pm"}
    rules:
      - id: balance
        match: {keyword: BALANCE, aliases: [BAL]}
        action: {destination: billing}
      - id: hours
        match: {keyword: HOURS, position: first_word}
        action: {destination: store, auto_reply: "We are open {{store_hours}}"}
      - id: stop-keyword
        match: {keyword: STOP}
        action: {destination: optouts, auto_reply: "must never be sent"}
      - id: support
        match: {phrase: "need help with"}
        action: {destination: support}
  globex:
    rules:
      - id: balance
        match: {keyword: BALANCE}
        action: {destination: billing}
      - id: anything-else
        priority: 1000
        match: {catch_all: true}
        action: {destination: inbox, auto_reply: "Thanks, we will reply soon"}
)";

struct InstanceOptions {
  size_t subscriber_queue = 1000;
  std::chrono::milliseconds poll{std::chrono::seconds(1)};
};

// One router process's worth of parts. Destroyed in reverse order.
struct RouterInstance {
  RouterInstance(const std::string& brokers, redis::Pool& pool, kafka::Producer& producer,
                 std::shared_ptr<const config::TenantDirectory> tenants,
                 InstanceOptions opts = {}) {
    auto model_or = IntentModel::Load(SMSFLOW_INTENT_MODEL);
    if (!model_or.ok()) throw std::runtime_error(model_or.status().ToString());
    model = *model_or;
    metrics = std::make_unique<RouterMetrics>(prom);
    RuleOptions base;
    base.tenant_keywords = *keywords::TenantClassifiers::FromTenants(*tenants);  // as main.cpp
    auto file = ParseRouterRulesYaml(kFixtureRules, base, tenants.get());
    if (!file.ok()) throw std::runtime_error(file.status().ToString());
    store = std::make_unique<RuleStore>(pool);
    rules = std::make_unique<RuleRegistry>(base, tenants, std::move(*file), store.get(), *metrics);
    if (auto st = rules->LoadAll(); !st.ok()) throw std::runtime_error(st.ToString());
    rules->StartPolling(opts.poll);
    router = std::make_unique<Router>(*rules, model, *metrics);
    hub = std::make_unique<SubscriptionHub>(opts.subscriber_queue, metrics.get());
    handler = std::make_unique<InboundHandler>(*router, *rules, producer, *metrics);
    service = std::make_unique<RouterServiceImpl>(*router, *rules, *hub);
    server::HostOptions hopts;
    hopts.service = "router";
    hopts.address = "127.0.0.1:0";
    host = std::make_unique<server::ServiceHost>(hopts, prom);
    host->AddService(service.get());
    if (!host->Start().ok()) throw std::runtime_error("gRPC did not start");
    stub = v1::RouterService::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(host->port()), grpc::InsecureChannelCredentials()));

    const std::map<std::string, std::string>& fast_group = testing::FastConsumerGroup();
    kafka::ConsumerOptions copts;
    copts.brokers = brokers;
    copts.group_id = "smsflow-router";  // shared across restarts, like the binary
    copts.topics = {std::string(kafka::topics::kInbound)};
    copts.extra = fast_group;
    copts.on_assigned = [this](const kafka::TopicPartitions& tp) {
      if (!tp.empty()) inbound_assigned = true;
    };
    inbound = std::make_unique<kafka::Consumer>(copts, handler->AsBatchHandler(), &producer);
    kafka::ConsumerOptions fopts = FanoutConsumerOptions(brokers, "smsflow-router-fanout");
    for (const auto& kv : fast_group) fopts.extra[kv.first] = kv.second;
    fopts.on_assigned = [this](const kafka::TopicPartitions& tp) {
      if (!tp.empty()) fanout_assigned = true;
    };
    fanout = std::make_unique<kafka::Consumer>(fopts, FanoutHandler(*hub, *metrics), &producer);
    if (!inbound->Start().ok() || !fanout->Start().ok()) {
      throw std::runtime_error("consumers did not start");
    }
  }
  ~RouterInstance() {
    hub->Close();
    host->Shutdown(std::chrono::milliseconds(200));
    inbound->Stop();
    fanout->Stop();
    rules->StopPolling();
  }

  double Counter(const std::string& name) {
    double total = 0;
    for (const auto& family : prom.Collect()) {
      if (family.name != name) continue;
      for (const auto& m : family.metric) total += m.counter.value;
    }
    return total;
  }

  prometheus::Registry prom;
  std::shared_ptr<const IntentModel> model;
  std::unique_ptr<RouterMetrics> metrics;
  std::unique_ptr<RuleStore> store;
  std::unique_ptr<RuleRegistry> rules;
  std::unique_ptr<Router> router;
  std::unique_ptr<SubscriptionHub> hub;
  std::unique_ptr<InboundHandler> handler;
  std::unique_ptr<RouterServiceImpl> service;
  std::unique_ptr<server::ServiceHost> host;
  std::unique_ptr<v1::RouterService::Stub> stub;
  std::unique_ptr<kafka::Consumer> inbound;
  std::unique_ptr<kafka::Consumer> fanout;
  std::atomic<bool> inbound_assigned{false};
  std::atomic<bool> fanout_assigned{false};
};

// The stack's gRPC host is unused: each RouterInstance serves its own, so a
// test can restart one or run two.
class RouterFixture : public testing::StackFixture {
 protected:
  void SetUp() override {
    StackFixture::SetUp();
    tenants_ = *config::TenantDirectory::FromYaml(kFixtureTenants);
    Start();
  }
  void TearDown() override {
    router_.reset();
    StackFixture::TearDown();
  }

  void Start(InstanceOptions opts = {}) {
    router_ =
        std::make_unique<RouterInstance>(kafka_.bootstrap(), *pool_, *producer_, tenants_, opts);
  }
  void Restart() {
    router_.reset();
    Start();
  }

  static v1::InboundMessage Inbound(const std::string& body, const std::string& tenant = "acme",
                                    const std::string& from = "+14155550123") {
    v1::InboundMessage m;
    m.set_message_id(sms::NewMessageId());
    m.set_tenant_id(tenant);
    m.set_sender_scope("main");
    m.set_from(from);
    m.set_to(tenant == "acme" ? "+14155550100" : "+13125550100");
    m.set_body(body);
    m.set_source(v1::INBOUND_SOURCE_GRPC);
    return m;
  }

  void Send(const v1::InboundMessage& m) {
    PublishSync(std::string(kafka::topics::kInbound), m.tenant_id() + "|" + m.from(), m);
  }

  template <typename T>
  static std::vector<T> Decode(const std::vector<kafka::Message>& messages) {
    std::vector<T> out;
    for (const auto& m : messages) {
      T v;
      if (v.ParseFromString(m.value)) out.push_back(std::move(v));
    }
    return out;
  }

  // The routed record of inbound `id`, waiting for it.
  std::optional<v1::RoutedMessage> WaitRouted(testing::TopicReader& reader, const std::string& id) {
    std::optional<v1::RoutedMessage> found;
    testing::WaitFor([&] {
      for (auto& r : Decode<v1::RoutedMessage>(reader.Messages())) {
        if (r.message().message_id() == id) found = r;
      }
      return found.has_value();
    });
    return found;
  }

  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::unique_ptr<RouterInstance> router_;
};

}  // namespace smsflow::router
