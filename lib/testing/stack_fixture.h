#pragma once
// StackFixture: the parts every service's integration fixture starts the same
// way - a real devkafka cluster, a real redis-server, an acked producer, a
// Redis pool, a Prometheus registry - plus serving gRPC services on port 0
// and publishing records as a service would. Service fixtures derive from it
// and wire only their own parts.
//
// Lifetime: members are destroyed in reverse order (the host first, the
// processes last); derived fixtures that own consumers stop them in their
// TearDown before this one's.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <chrono>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>

#include "lib/kafka/producer.h"
#include "lib/kafka/proto_handler.h"
#include "lib/redis/client.h"
#include "lib/server/service_host.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/redis_server.h"

namespace smsflow::testing {

// Consumer settings that make the mock cluster's group joins and rebalances
// quick enough for tests (its first join still takes ~3 s).
inline const std::map<std::string, std::string>& FastConsumerGroup() {
  static const auto* const kFast = new std::map<std::string, std::string>{
      {"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
  return *kFast;
}

struct StackOptions {
  std::chrono::milliseconds delivery_timeout{5000};
  int redis_connections = 4;
};

class StackFixture : public ::testing::Test {
 protected:
  explicit StackFixture(StackOptions options = {}) : stack_options_(options) {}

  void SetUp() override {
    kafka::ProducerOptions popts;
    popts.brokers = kafka_.bootstrap();
    popts.delivery_timeout = stack_options_.delivery_timeout;
    auto producer = kafka::MakeProducer(popts);
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_ = *std::move(producer);
    pool_ = std::make_unique<redis::Pool>(redis_.options(), stack_options_.redis_connections);
  }

  void TearDown() override {
    if (host_ != nullptr) host_->Shutdown(std::chrono::milliseconds(200));
  }

  // Serves `services` as `name` on 127.0.0.1:0 with registry_ (health,
  // reflection and the request-metrics interceptor included); the channel
  // reaches them. One host per fixture.
  std::shared_ptr<grpc::Channel> Serve(const std::string& name,
                                       std::initializer_list<grpc::Service*> services) {
    server::HostOptions hopts;
    hopts.service = name;
    hopts.address = "127.0.0.1:0";
    host_ = std::make_unique<server::ServiceHost>(hopts, registry_);
    for (grpc::Service* service : services) host_->AddService(service);
    const absl::Status started = host_->Start();
    EXPECT_TRUE(started.ok()) << started;
    return grpc::CreateChannel("127.0.0.1:" + std::to_string(host_->port()),
                               grpc::InsecureChannelCredentials());
  }

  // Publishes `message` to `topic` under `key` with the type header, as a
  // service does, and waits for the broker's ack.
  template <typename Proto>
  void PublishSync(const std::string& topic, const std::string& key, const Proto& message) {
    const auto sent = producer_->SendSync(kafka::ProtoRecord(topic, key, message));
    ASSERT_TRUE(sent.ok()) << sent.status();
  }

  const StackOptions stack_options_;
  DevKafka kafka_;
  RedisServer redis_;
  prometheus::Registry registry_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<redis::Pool> pool_;
  std::unique_ptr<server::ServiceHost> host_;
};

}  // namespace smsflow::testing
