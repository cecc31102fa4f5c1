#pragma once
// The consent ledger wired like the binary: the inbound keyword consumer
// (group smsflow-consent), the ledger applier consumer (group
// smsflow-consent-view) and the ConsentService on port 0, against a real
// devkafka cluster and a real redis-server, plus readers of what it publishes.

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include "lib/kafka/consumer.h"
#include "lib/kafka/topics.h"
#include "lib/sms/message_id.h"
#include "lib/testing/stack_fixture.h"
#include "lib/testing/topic_reader.h"
#include "services/consent/ledger/consent_service.h"
#include "services/consent/ledger/inbound_keyword_handler.h"
#include "services/consent/ledger/inbound_plan.h"
#include "services/consent/ledger/ledger_applier.h"
#include "services/consent/ledger/tests/test_tenants.h"

namespace smsflow::consent::ledger {

inline constexpr char kCustomer[] = "+14155559999";
inline constexpr char kBusiness[] = "+14155550100";

class LedgerFixture : public testing::StackFixture {
 protected:
  void SetUp() override {
    StackFixture::SetUp();
    tenants_ = *config::TenantDirectory::FromYaml(testdata::kTenants);
    configs_ = *ConsentConfigSet::FromYaml(testdata::kConsentConfig, *tenants_);
    metrics_ = std::make_unique<LedgerMetrics>(registry_);
    view_ = std::make_unique<consentview::ConsentView>(*pool_);
    // A fresh Redis: what the binary's ViewGuardian does for an empty ledger.
    ASSERT_TRUE(*view_->BeginRestore("fixture", std::chrono::seconds(60)));
    ASSERT_TRUE(view_->MarkReady("fixture").ok());
    history_ = std::make_unique<ConsentHistory>(*pool_);
    window_ = std::make_unique<ConfirmationWindow>(*pool_);
    handler_ = std::make_unique<InboundKeywordHandler>(tenants_, configs_, *producer_, *view_,
                                                       *window_, *metrics_);
    applier_ = std::make_unique<LedgerApplier>(*view_, history_.get(), metrics_.get());
    inbound_consumer_ = StartConsumer("smsflow-consent", std::string(kafka::topics::kInbound),
                                      handler_->AsBatchHandler());
    ledger_consumer_ = StartConsumer("smsflow-consent-view", std::string(kafka::topics::kConsent),
                                     applier_->AsBatchHandler());
    ledger_reader_ = std::make_unique<testing::TopicReader>(
        kafka_.bootstrap(), std::vector<std::string>{std::string(kafka::topics::kConsent)});
    outbound_reader_ = std::make_unique<testing::TopicReader>(
        kafka_.bootstrap(),
        std::vector<std::string>{std::string(kafka::topics::kOutboundRequested)});

    ConsentServiceOptions sopts;
    service_ = std::make_unique<ConsentServiceImpl>(tenants_, configs_, *pool_, *view_, *history_,
                                                    *producer_, *metrics_, sopts);
    stub_ = v1::ConsentService::NewStub(Serve("consent", {service_.get()}));
  }

  void TearDown() override {
    StackFixture::TearDown();  // gRPC first, as the binary shuts down
    inbound_consumer_->Stop();
    ledger_consumer_->Stop();
  }

  std::unique_ptr<kafka::Consumer> StartConsumer(const std::string& group, const std::string& topic,
                                                 kafka::BatchHandler handler) {
    kafka::ConsumerOptions o;
    o.brokers = kafka_.bootstrap();
    o.group_id = group;
    o.topics = {topic};
    o.extra = testing::FastConsumerGroup();
    auto c = std::make_unique<kafka::Consumer>(o, std::move(handler), producer_.get());
    EXPECT_TRUE(c->Start().ok());
    return c;
  }

  // Publishes what ingest would for a text from `from` to the business number.
  v1::InboundMessage Inbound(const std::string& body, const std::string& from = kCustomer,
                             std::string message_id = "") {
    v1::InboundMessage m;
    m.set_message_id(message_id.empty() ? sms::NewMessageId() : message_id);
    m.set_tenant_id("acme");
    m.set_sender_scope("main");
    m.set_from(from);
    m.set_to(kBusiness);
    m.set_body(body);
    *m.mutable_received_time() = ToProto(absl::Now());
    PublishSync(std::string(kafka::topics::kInbound), "acme|" + from, m);
    return m;
  }

  template <typename T>
  static std::vector<T> Decode(const std::vector<kafka::Message>& messages) {
    std::vector<T> out;
    for (const kafka::Message& m : messages) {
      T v;
      EXPECT_TRUE(v.ParseFromString(m.value));
      out.push_back(std::move(v));
    }
    return out;
  }
  std::vector<v1::ConsentEvent> LedgerEvents(size_t at_least) {
    return Decode<v1::ConsentEvent>(ledger_reader_->WaitForCount(at_least));
  }
  std::vector<v1::OutboundRequest> Replies(size_t at_least) {
    return Decode<v1::OutboundRequest>(outbound_reader_->WaitForCount(at_least));
  }

  std::optional<v1::ConsentState> State(const std::string& recipient = kCustomer,
                                        const std::string& scope = "main") {
    auto s = view_->GetAll({{"acme", scope, recipient}});
    if (!s.ok() || !(*s)[0].has_value()) return std::nullopt;
    return (*s)[0]->state;
  }
  // Waits until the view's last event for the customer is `event_id`.
  bool WaitApplied(const std::string& event_id, const std::string& recipient = kCustomer) {
    return testing::WaitFor([&] {
      auto s = State(recipient);
      return s.has_value() && s->last_event_id() == event_id;
    });
  }

  // CheckConsent over gRPC, for tests that expect an error too.
  grpc::Status CheckStatus(v1::Category category, const std::string& recipient,
                           v1::ConsentDecision* decision) {
    grpc::ClientContext ctx;
    ctx.AddMetadata(server::kTenantMetadataKey, "acme");
    v1::CheckConsentRequest req;
    req.set_tenant_id("acme");
    req.set_sender_scope("main");
    req.set_recipient(recipient);
    req.set_category(category);
    v1::CheckConsentResponse resp;
    grpc::Status st = stub_->CheckConsent(&ctx, req, &resp);
    *decision = resp.decision();
    return st;
  }
  v1::ConsentDecision Check(v1::Category category, const std::string& recipient = kCustomer) {
    v1::ConsentDecision decision;
    grpc::Status st = CheckStatus(category, recipient, &decision);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return decision;
  }

  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::shared_ptr<const ConsentConfigSet> configs_;
  std::unique_ptr<LedgerMetrics> metrics_;
  std::unique_ptr<consentview::ConsentView> view_;
  std::unique_ptr<ConsentHistory> history_;
  std::unique_ptr<ConfirmationWindow> window_;
  std::unique_ptr<InboundKeywordHandler> handler_;
  std::unique_ptr<LedgerApplier> applier_;
  std::unique_ptr<kafka::Consumer> inbound_consumer_;
  std::unique_ptr<kafka::Consumer> ledger_consumer_;
  std::unique_ptr<testing::TopicReader> ledger_reader_;
  std::unique_ptr<testing::TopicReader> outbound_reader_;
  std::unique_ptr<ConsentServiceImpl> service_;
  std::unique_ptr<v1::ConsentService::Stub> stub_;
};

}  // namespace smsflow::consent::ledger
