// The whole platform end to end, with the four real binaries on devkafka and
// redis-server: a backend's transactional text goes request -> consent gate
// -> dispatcher -> sim carrier -> receipt and reads DELIVERED; a customer's
// STOP through ingest is recorded by consent, confirmed once, and blocks the
// next marketing message before it reaches the carrier.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <fstream>

#include "lib/kafka/topics.h"
#include "lib/server/health_client.h"
#include "lib/testing/devkafka.h"
#include "lib/testing/redis_server.h"
#include "lib/testing/topic_reader.h"
#include "smsflow/v1/consent_service.grpc.pb.h"
#include "smsflow/v1/ingest_service.grpc.pb.h"
#include "smsflow/v1/outbound.pb.h"
#include "smsflow/v1/routed.pb.h"
#include "smsflow/v1/sender_service.grpc.pb.h"
#include "tests/e2e/service_process.h"

namespace smsflow {
namespace {

using testing::WaitFor;

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    name: Acme Coffee
    brand: {name: Acme Coffee, description: order updates, frequency: Msg frequency varies,
            support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
)";
constexpr char kBusiness[] = "+14155550100";

class FlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("tenants.yaml")) << kTenants;
    const std::vector<std::string> flags = {
        "--kafka-brokers=" + kafka_.bootstrap(), "--tenants-file=" + dir_.File("tenants.yaml"),
        "--redis-address=127.0.0.1:" + std::to_string(redis_.port())};
    auto with = [&](std::vector<std::string> extra) {
      extra.insert(extra.begin(), flags.begin(), flags.end());
      return extra;
    };
    ingest_ = std::make_unique<e2e::RunningService>("ingest", dir_,
                                                    with({"--webhook-address=127.0.0.1:0"}));
    router_ = std::make_unique<e2e::RunningService>("router", dir_, flags);
    consent_ = std::make_unique<e2e::RunningService>("consent", dir_, flags);
    sender_ =
        std::make_unique<e2e::RunningService>("sender", dir_, with({"--sim-receipt-delay-ms=20"}));
    for (auto* s : {ingest_.get(), router_.get(), consent_.get(), sender_.get()}) {
      ASSERT_TRUE(WaitFor(
          [&] { return server::CheckHealth(s->target()) == server::HealthStatus::kServing; },
          std::chrono::seconds(60)))
          << s->log();
    }
    auto channel = [](const e2e::RunningService& s) {
      return grpc::CreateChannel(s.target(), grpc::InsecureChannelCredentials());
    };
    ingest_stub_ = v1::IngestService::NewStub(channel(*ingest_));
    consent_stub_ = v1::ConsentService::NewStub(channel(*consent_));
    sender_stub_ = v1::SenderService::NewStub(channel(*sender_));
  }

  void Grant(const std::string& recipient, v1::ConsentKind kind) {
    v1::GrantConsentRequest req;
    req.set_tenant_id("acme");
    req.set_sender_scope("main");
    req.set_recipient(recipient);
    req.set_kind(kind);
    req.mutable_proof()->set_source(v1::CONSENT_SOURCE_WEB_FORM);
    *req.mutable_proof()->mutable_capture_time() =
        google::protobuf::util::TimeUtil::GetCurrentTime();
    req.mutable_proof()->set_text(
        "Yes, send me order updates and offers from Acme Coffee by text.");
    req.mutable_proof()->set_reference("signup-form-42");
    req.mutable_proof()->set_recorded_by("e2e-test");
    v1::GrantConsentResponse resp;
    grpc::ClientContext ctx;
    grpc::Status st = consent_stub_->GrantConsent(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message() << "\n" << consent_->log();
  }

  v1::ConsentDecision Check(const std::string& recipient, v1::Category category) {
    v1::CheckConsentRequest req;
    req.set_tenant_id("acme");
    req.set_sender_scope("main");
    req.set_recipient(recipient);
    req.set_category(category);
    v1::CheckConsentResponse resp;
    grpc::ClientContext ctx;
    EXPECT_TRUE(consent_stub_->CheckConsent(&ctx, req, &resp).ok());
    return resp.decision();
  }

  std::string Send(const std::string& to, const std::string& body, v1::Category category) {
    v1::SendMessageRequest req;
    req.set_tenant_id("acme");
    req.set_from(kBusiness);
    req.set_to(to);
    req.set_body(body);
    req.set_category(category);
    v1::SendMessageResponse resp;
    grpc::ClientContext ctx;
    grpc::Status st = sender_stub_->SendMessage(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.message_id();
  }

  v1::OutboundMessage Get(const std::string& message_id) {
    v1::GetMessageRequest req;
    req.set_tenant_id("acme");
    req.set_message_id(message_id);
    v1::GetMessageResponse resp;
    grpc::ClientContext ctx;
    sender_stub_->GetMessage(&ctx, req, &resp);
    return resp.message();
  }

  std::string Logs() {
    return "ingest:\n" + ingest_->log() + "\nconsent:\n" + consent_->log() + "\nsender:\n" +
           sender_->log();
  }

  testing::TempDir dir_;
  testing::DevKafka kafka_;
  testing::RedisServer redis_;
  std::unique_ptr<e2e::RunningService> ingest_, router_, consent_, sender_;
  std::unique_ptr<v1::IngestService::Stub> ingest_stub_;
  std::unique_ptr<v1::ConsentService::Stub> consent_stub_;
  std::unique_ptr<v1::SenderService::Stub> sender_stub_;
};

TEST_F(FlowTest, TransactionalTextIsDeliveredThroughGateDispatcherAndCarrier) {
  const std::string customer = "+14155550123";
  Grant(customer, v1::CONSENT_KIND_EXPRESS);
  ASSERT_TRUE(WaitFor([&] { return Check(customer, v1::CATEGORY_TRANSACTIONAL).allowed(); },
                      std::chrono::seconds(60)));
  const std::string id =
      Send(customer, "Your order #48213 has shipped.", v1::CATEGORY_TRANSACTIONAL);
  ASSERT_FALSE(id.empty());
  v1::OutboundMessage m;
  EXPECT_TRUE(WaitFor(
      [&] {
        m = Get(id);
        return m.status() == v1::MESSAGE_STATUS_DELIVERED;
      },
      std::chrono::seconds(90)))
      << "last status " << v1::MessageStatus_Name(m.status()) << "\n"
      << Logs();
  EXPECT_FALSE(m.provider_message_ids().empty());
}

TEST_F(FlowTest, CustomerStopIsConfirmedOnceAndBlocksTheNextMarketingText) {
  const std::string customer = "+14155550124";
  testing::TopicReader approved(kafka_.bootstrap(),
                                {std::string(kafka::topics::kApprovedTransactional)});
  testing::TopicReader routed(kafka_.bootstrap(), {std::string(kafka::topics::kRouted)});
  Grant(customer, v1::CONSENT_KIND_EXPRESS_WRITTEN);
  ASSERT_TRUE(WaitFor([&] { return Check(customer, v1::CATEGORY_MARKETING).allowed(); },
                      std::chrono::seconds(60)));

  v1::ReceiveMessageRequest stop;
  stop.set_from(customer);
  stop.set_to(kBusiness);
  stop.set_body("Stop.");
  stop.set_provider("e2e");
  stop.set_provider_message_id("SMstop1");
  v1::ReceiveMessageResponse received;
  grpc::ClientContext ctx;
  ASSERT_TRUE(ingest_stub_->ReceiveMessage(&ctx, stop, &received).ok());

  // Consent records the opt-out...
  v1::ConsentDecision decision;
  ASSERT_TRUE(WaitFor(
      [&] {
        decision = Check(customer, v1::CATEGORY_MARKETING);
        return !decision.allowed();
      },
      std::chrono::seconds(60)))
      << Logs();
  EXPECT_EQ(decision.reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);

  // ...its single confirmation passes the gate (compliance, transactional lane)...
  auto confirmations = [&] {
    int n = 0;
    for (const auto& rec : approved.Messages()) {
      v1::ApprovedMessage a;
      if (a.ParseFromString(rec.value) && a.request().to() == customer &&
          a.request().category() == v1::CATEGORY_COMPLIANCE) {
        ++n;
      }
    }
    return n;
  };
  EXPECT_TRUE(WaitFor([&] { return confirmations() == 1; }, std::chrono::seconds(60))) << Logs();

  // ...the router routed the STOP as a compliance keyword without answering it...
  EXPECT_TRUE(WaitFor(
      [&] {
        for (const auto& rec : routed.Messages()) {
          v1::RoutedMessage r;
          if (r.ParseFromString(rec.value) && r.message().message_id() == received.message_id()) {
            return r.classification().compliance_keyword();
          }
        }
        return false;
      },
      std::chrono::seconds(60)));

  // ...and the next marketing text is rejected before any carrier sees it.
  const std::string id = Send(customer, "20% off all pastries today!", v1::CATEGORY_MARKETING);
  v1::OutboundMessage m;
  EXPECT_TRUE(WaitFor(
      [&] {
        m = Get(id);
        return m.status() == v1::MESSAGE_STATUS_REJECTED;
      },
      std::chrono::seconds(60)))
      << v1::MessageStatus_Name(m.status()) << "\n"
      << Logs();
  EXPECT_EQ(m.reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  EXPECT_TRUE(m.provider_message_ids().empty());
  EXPECT_EQ(confirmations(), 1);
}

}  // namespace
}  // namespace smsflow
