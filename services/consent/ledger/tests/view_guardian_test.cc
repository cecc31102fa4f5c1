// Redis loses the consent view (FLUSHALL): readers answer UNAVAILABLE and the
// gate approves nothing, the ViewGuardian restores the view from
// sms.consent.v1, and afterwards it equals a fresh rebuild: the opted-out
// recipient is still opted out, grants are back, and what arrived meanwhile
// (a request to the gate, a STOP) is decided once the view is back.
#include "services/consent/ledger/view_guardian.h"

#include "services/consent/gate/gate_consumer.h"
#include "services/consent/gate/tests/gate_test_util.h"
#include "services/consent/ledger/tests/ledger_fixture.h"
#include "services/consent/ledger/view_rebuild.h"
#include "smsflow/v1/delivery.pb.h"

namespace smsflow::consent::ledger {
namespace {

using testing::WaitFor;

constexpr char kGranted[] = "+14155552222";
constexpr char kLateStop[] = "+14155553333";

class ViewGuardianTest : public LedgerFixture {
 protected:
  void SetUp() override {
    LedgerFixture::SetUp();
    if (HasFatalFailure()) return;
    decided_ = std::make_unique<store::IdempotencyStore>(
        *pool_, "smsflow:gate:decided:", std::chrono::hours(96), std::chrono::seconds(1));
    compliance_ = std::make_unique<store::IdempotencyStore>(
        *pool_, "smsflow:gate:compliance:", std::chrono::hours(96), std::chrono::seconds(1));
    caps_ = std::make_unique<gate::RedisCapLedger>(*pool_);
    deferred_ = std::make_unique<gate::DeferredStore>(*pool_);
    cancellations_ = std::make_unique<store::CancellationStore>(*pool_);
    gate_metrics_ = std::make_unique<gate::GateMetrics>(registry_);
    decider_ = gate::testing::MakeDecider();
    pipeline_ = std::make_unique<gate::GatePipeline>(
        *decider_,
        gate::GateStores{view_.get(), decided_.get(), compliance_.get(), caps_.get(),
                         deferred_.get(), cancellations_.get()},
        *producer_, clock_, *gate_metrics_);
    kafka::ConsumerOptions copts = gate::GateConsumerOptions(kafka_.bootstrap());
    copts.extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
    gate_ = std::make_unique<gate::GateConsumer>(copts, *pipeline_, *producer_);
    ASSERT_TRUE(gate_->Start().ok());
    std::vector<std::string> topics = {std::string(kafka::topics::kDelivery)};
    for (auto lane : kafka::topics::kApprovedLanes) topics.emplace_back(lane);
    gate_reader_ = std::make_unique<testing::TopicReader>(kafka_.bootstrap(), topics);
    guardian_metrics_ = std::make_unique<ViewGuardianMetrics>(registry_);
  }

  void TearDown() override {
    if (guardian_ != nullptr) guardian_->Stop();
    if (gate_ != nullptr) gate_->Stop();
    LedgerFixture::TearDown();
  }

  void StartGuardian(std::chrono::milliseconds claim_lease = std::chrono::seconds(5)) {
    ViewGuardianOptions o;
    o.brokers = kafka_.bootstrap();
    o.topic = std::string(kafka::topics::kConsent);
    o.check_interval = std::chrono::milliseconds(100);
    o.initial_backoff = std::chrono::milliseconds(100);
    o.claim_lease = claim_lease;
    o.restore_timeout = std::chrono::seconds(60);
    o.consumer_extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
    guardian_ = std::make_unique<ViewGuardian>(o, *pool_, *producer_, *guardian_metrics_);
    guardian_->Start();
  }

  void FlushAll() {
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE((*lease)->Command({"FLUSHALL"}).ok());
  }

  bool Ready() {
    auto r = view_->IsReady();
    return r.ok() && *r;
  }

  void GrantExpressWritten(const std::string& recipient) {
    grpc::ClientContext ctx;
    ctx.AddMetadata(server::kTenantMetadataKey, "acme");
    ctx.AddMetadata(server::kPrincipalMetadataKey, "crm-backend");
    v1::GrantConsentRequest g;
    g.set_tenant_id("acme");
    g.set_sender_scope("main");
    g.set_recipient(recipient);
    g.set_kind(v1::CONSENT_KIND_EXPRESS_WRITTEN);
    g.mutable_proof()->set_source(v1::CONSENT_SOURCE_WEB_FORM);
    *g.mutable_proof()->mutable_capture_time() = ToProto(absl::Now() - absl::Minutes(2));
    g.mutable_proof()->set_text("I agree to receive marketing texts from Acme Coffee");
    g.mutable_proof()->set_reference("https://acme.example/join submission 7");
    v1::GrantConsentResponse r;
    grpc::Status st = stub_->GrantConsent(&ctx, g, &r);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  v1::OutboundRequest Request(v1::Category category, const std::string& to) {
    v1::OutboundRequest r = gate::testing::Request(category, to, clock_.Now());
    r.set_message_id(sms::NewMessageId());
    kafka::Record rec;
    rec.topic = std::string(kafka::topics::kOutboundRequested);
    rec.key = r.tenant_id() + "|" + r.to();
    rec.value = r.SerializeAsString();
    rec.headers.push_back({std::string(kafka::kTypeHeader), r.GetTypeName()});
    EXPECT_TRUE(producer_->SendSync(rec).ok());
    return r;
  }

  // Delivery events and approvals the gate produced for `message_id`.
  std::vector<v1::DeliveryEvent> Events(const std::string& message_id) {
    std::vector<v1::DeliveryEvent> out;
    for (const kafka::Message& m : gate_reader_->Messages()) {
      if (m.topic != kafka::topics::kDelivery || m.key != message_id) continue;
      v1::DeliveryEvent e;
      EXPECT_TRUE(e.ParseFromString(m.value));
      out.push_back(e);
    }
    return out;
  }
  size_t Approvals(const std::string& message_id) {
    size_t n = 0;
    for (const kafka::Message& m : gate_reader_->Messages()) {
      v1::ApprovedMessage a;
      if (m.topic != kafka::topics::kDelivery && a.ParseFromString(m.value) &&
          a.request().message_id() == message_id) {
        ++n;
      }
    }
    return n;
  }

  double Metric(const std::string& name, const std::string& label = "",
                const std::string& value = "") {
    double total = 0;
    for (const auto& f : registry_.Collect()) {
      if (f.name != name) continue;
      for (const auto& m : f.metric) {
        bool match = label.empty();
        for (const auto& l : m.label) match = match || (l.name == label && l.value == value);
        if (match) total += m.counter.value + m.gauge.value;
      }
    }
    return total;
  }

  // The live view against a fresh replay of the whole ledger.
  void ExpectLiveEqualsRebuild(int64_t states) {
    RebuildOptions opts;
    opts.brokers = kafka_.bootstrap();
    opts.view_prefix = "smsflow:consent-rebuild:check:";
    opts.timeout = std::chrono::seconds(60);
    opts.consumer_extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
    auto report = RebuildView(opts, *pool_, *producer_);
    ASSERT_TRUE(report.ok()) << report.status();
    auto diff = CompareViews(*pool_, consentview::kLivePrefix, opts.view_prefix);
    ASSERT_TRUE(diff.ok()) << diff.status();
    EXPECT_TRUE(diff->Equal()) << "different=" << diff->different
                               << " only_live=" << diff->only_live
                               << " only_rebuilt=" << diff->only_rebuilt;
    EXPECT_EQ(diff->same, states);
  }

  gate::ManualClock clock_{absl::Now()};
  std::unique_ptr<store::IdempotencyStore> decided_, compliance_;
  std::unique_ptr<gate::RedisCapLedger> caps_;
  std::unique_ptr<gate::DeferredStore> deferred_;
  std::unique_ptr<store::CancellationStore> cancellations_;
  std::unique_ptr<gate::GateMetrics> gate_metrics_;
  std::unique_ptr<gate::GateDecider> decider_;
  std::unique_ptr<gate::GatePipeline> pipeline_;
  std::unique_ptr<gate::GateConsumer> gate_;
  std::unique_ptr<testing::TopicReader> gate_reader_;
  std::unique_ptr<ViewGuardianMetrics> guardian_metrics_;
  std::unique_ptr<ViewGuardian> guardian_;
};

TEST_F(ViewGuardianTest, LostViewIsNotReadUntilRestoredThenEqualsTheLedger) {
  // Live flow: a customer texts and then opts out; another grants marketing.
  Inbound("hello");
  Inbound("STOP");
  GrantExpressWritten(kGranted);
  ASSERT_TRUE(WaitFor([&] {
    auto a = State(kCustomer);
    auto b = State(kGranted);
    return a.has_value() && a->opted_out() && b.has_value() && b->grants_size() == 1;
  }));

  FlushAll();  // Redis loses everything; the consumers keep their offsets

  // Nobody reads "no state" as "never opted out".
  v1::ConsentDecision decision;
  grpc::Status st = CheckStatus(v1::CATEGORY_MARKETING, kCustomer, &decision);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(st.error_message().find("consent view: not ready"), std::string::npos)
      << st.error_message();
  EXPECT_EQ(view_->OptedOutAll({{"acme", "main", kCustomer}}).status().code(),
            absl::StatusCode::kUnavailable);  // the dispatcher's last-moment check
  {
    // An export of the (empty) lost view is an error, not an empty export.
    grpc::ClientContext ctx;
    ctx.AddMetadata(server::kTenantMetadataKey, "acme");
    v1::ExportConsentRequest req;
    req.set_tenant_id("acme");
    auto reader = stub_->ExportConsent(&ctx, req);
    v1::ExportConsentResponse chunk;
    EXPECT_FALSE(reader->Read(&chunk));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  // The gate decides nothing meanwhile; a STOP that arrives waits too.
  const v1::OutboundRequest marketing = Request(v1::CATEGORY_MARKETING, kCustomer);
  const v1::OutboundRequest transactional = Request(v1::CATEGORY_TRANSACTIONAL, kGranted);
  Inbound("STOP", kLateStop);
  ASSERT_TRUE(WaitFor([&] {
    return Metric("smsflow_consent_gate_redis_errors_total", "operation", "consent_view") >= 3 &&
           Metric("smsflow_consent_ledger_failures_total", "operation", "view_read") >= 3;
  }));
  EXPECT_EQ(Approvals(marketing.message_id()) + Approvals(transactional.message_id()), 0u);
  EXPECT_TRUE(Events(marketing.message_id()).empty());
  EXPECT_TRUE(Events(transactional.message_id()).empty());

  StartGuardian();
  ASSERT_TRUE(WaitFor([&] { return Ready(); }, std::chrono::seconds(60)));
  EXPECT_GE(guardian_->restores(), 1);
  EXPECT_EQ(Metric("smsflow_consent_view_ready"), 1.0);
  EXPECT_GE(Metric("smsflow_consent_view_restores_total", "outcome", "restored"), 1.0);

  // Still opted out; the grant is back; the late STOP was recorded.
  ASSERT_TRUE(WaitFor([&] {
    auto s = State(kLateStop);
    return s.has_value() && s->opted_out();
  }));
  ASSERT_TRUE(CheckStatus(v1::CATEGORY_MARKETING, kCustomer, &decision).ok());
  EXPECT_FALSE(decision.allowed());
  EXPECT_EQ(decision.reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  ASSERT_TRUE(CheckStatus(v1::CATEGORY_MARKETING, kGranted, &decision).ok());
  EXPECT_TRUE(decision.allowed());
  auto history = history_->List("acme", kCustomer, "", 100, "");
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_EQ(history->events.size(), 2u);  // implied consent, then the opt-out

  // What waited is decided now, on the restored state.
  ASSERT_TRUE(WaitFor([&] { return !Events(marketing.message_id()).empty(); }));
  EXPECT_EQ(Events(marketing.message_id())[0].status(), v1::MESSAGE_STATUS_REJECTED);
  EXPECT_EQ(Events(marketing.message_id())[0].reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  EXPECT_EQ(Approvals(marketing.message_id()), 0u);
  ASSERT_TRUE(WaitFor([&] { return Approvals(transactional.message_id()) == 1; }));
  const v1::OutboundRequest later = Request(v1::CATEGORY_MARKETING, kCustomer);
  ASSERT_TRUE(WaitFor([&] { return !Events(later.message_id()).empty(); }));
  EXPECT_EQ(Events(later.message_id())[0].reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);

  ExpectLiveEqualsRebuild(3);
}

TEST_F(ViewGuardianTest, FlushDuringARestoreStartsItAgain) {
  Inbound("hello");
  Inbound("STOP");
  ASSERT_TRUE(WaitFor([&] {
    auto s = State(kCustomer);
    return s.has_value() && s->opted_out();
  }));
  FlushAll();
  // A short lease: the restore looks at its claim every 200 ms.
  StartGuardian(std::chrono::milliseconds(600));
  ASSERT_TRUE(WaitFor([&] {
    auto lease = pool_->Acquire();
    if (!lease.ok()) return false;
    auto claim = (*lease)->Command({"GET", view_->RebuildingKey()});
    return claim.ok() && claim->IsString();
  }));
  FlushAll();  // while the restore replays (it is still joining its group)
  ASSERT_TRUE(WaitFor([&] { return Ready(); }, std::chrono::seconds(60)));
  // It started again: the claimed attempt was aborted (or, had it finished
  // first, the flush took the marker and a second restore ran).
  EXPECT_GE(Metric("smsflow_consent_view_restores_total", "outcome", "aborted") +
                Metric("smsflow_consent_view_restores_total", "outcome", "restored"),
            2.0);
  auto s = State(kCustomer);
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->opted_out());
  ExpectLiveEqualsRebuild(1);
}

TEST_F(ViewGuardianTest, ReadyViewIsLeftAlone) {
  Inbound("STOP");
  ASSERT_TRUE(WaitFor([&] {
    auto s = State(kCustomer);
    return s.has_value() && s->opted_out();
  }));
  StartGuardian();
  ASSERT_TRUE(WaitFor([&] { return Metric("smsflow_consent_view_ready") == 1.0; }));
  guardian_->Stop();  // promptly, between two checks
  EXPECT_EQ(guardian_->restores(), 0);
  EXPECT_EQ(Metric("smsflow_consent_view_restores_total"), 0.0);
}

}  // namespace
}  // namespace smsflow::consent::ledger
