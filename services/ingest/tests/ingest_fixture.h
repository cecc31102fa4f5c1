#pragma once
// Ingest wired like the binary, against a real devkafka cluster and a real
// redis-server: the pipelines alone, or behind a gRPC server on port 0.

#include "lib/testing/stack_fixture.h"
#include "services/ingest/ingest_service.h"

namespace smsflow::ingest {

inline constexpr char kTestTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
  - id: globex
    brand: {name: Globex, description: reminders, frequency: varies, support: g@globex.example}
    numbers:
      - {number: "+13125550100"}
)";

// The pipelines wired as in the binary, against a real devkafka cluster and a
// real redis-server; the adapters' fixtures (gRPC, webhooks) build on it.
class PipelineFixture : public testing::StackFixture {
 protected:
  explicit PipelineFixture(const char* tenants_yaml = kTestTenants)
      : StackFixture({.delivery_timeout = std::chrono::milliseconds(3000), .redis_connections = 2}),
        tenants_(*config::TenantDirectory::FromYaml(tenants_yaml)) {}

  void SetUp() override {
    StackFixture::SetUp();
    metrics_ = std::make_unique<IngestMetrics>(registry_);
    dedup_ = std::make_unique<store::IdempotencyStore>(
        *pool_, "smsflow:ingest:dedup:", std::chrono::hours(24), std::chrono::seconds(10));
    index_ = std::make_unique<store::ProviderIdIndex>(*pool_);
    inbound_ = std::make_unique<InboundPipeline>(tenants_, *producer_, dedup_.get(), *metrics_,
                                                 InboundLimits{});
    receipts_ = std::make_unique<ReceiptPipeline>(*producer_, *index_, *metrics_);
  }

  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::unique_ptr<IngestMetrics> metrics_;
  std::unique_ptr<store::IdempotencyStore> dedup_;
  std::unique_ptr<store::ProviderIdIndex> index_;
  std::unique_ptr<InboundPipeline> inbound_;
  std::unique_ptr<ReceiptPipeline> receipts_;
};

// An ingest gRPC server on port 0 in front of the pipelines.
class IngestFixture : public PipelineFixture {
 protected:
  void SetUp() override {
    PipelineFixture::SetUp();
    service_ = std::make_unique<IngestServiceImpl>(*inbound_, *receipts_, *metrics_,
                                                   ServiceLimits{.max_batch = 1000});
    stub_ = v1::IngestService::NewStub(Serve("ingest", {service_.get()}));
  }

  static v1::ReceiveMessageRequest Request(const std::string& from, const std::string& to,
                                           const std::string& body,
                                           const std::string& provider_id = "") {
    v1::ReceiveMessageRequest req;
    req.set_from(from);
    req.set_to(to);
    req.set_body(body);
    req.set_provider("twilio");
    req.set_provider_message_id(provider_id);
    return req;
  }

  std::unique_ptr<IngestServiceImpl> service_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
};

}  // namespace smsflow::ingest
