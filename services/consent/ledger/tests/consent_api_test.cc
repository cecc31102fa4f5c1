// ConsentService over gRPC: grant with proof, revoke, history pages, export,
// batch checks, validation and tenant access.
#include "services/consent/ledger/tests/ledger_fixture.h"

namespace smsflow::consent::ledger {
namespace {

class ConsentApiTest : public LedgerFixture {
 protected:
  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& tenant = "acme") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata(server::kTenantMetadataKey, tenant);
    ctx->AddMetadata(server::kPrincipalMetadataKey, "crm-backend");
    return ctx;
  }
  v1::GrantConsentRequest GrantRequest(const std::string& recipient = kCustomer,
                                       v1::ConsentKind kind = v1::CONSENT_KIND_EXPRESS_WRITTEN) {
    v1::GrantConsentRequest g;
    g.set_tenant_id("acme");
    g.set_sender_scope("main");
    g.set_recipient(recipient);
    g.set_kind(kind);
    g.mutable_proof()->set_source(v1::CONSENT_SOURCE_WEB_FORM);
    *g.mutable_proof()->mutable_capture_time() = ToProto(absl::Now() - absl::Minutes(2));
    g.mutable_proof()->set_text("I agree to receive marketing texts from Acme Coffee");
    g.mutable_proof()->set_reference("https://acme.example/join submission 42");
    g.mutable_proof()->set_recorded_by("someone else");  // ignored
    return g;
  }
  v1::GrantConsentResponse Grant(const v1::GrantConsentRequest& g) {
    v1::GrantConsentResponse r;
    grpc::Status st = stub_->GrantConsent(Ctx().get(), g, &r);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return r;
  }
  v1::RevokeConsentResponse Revoke(bool opt_out, v1::ConsentKind kind, bool confirm = false) {
    v1::RevokeConsentRequest r;
    r.set_tenant_id("acme");
    r.set_sender_scope("main");
    r.set_recipient(kCustomer);
    r.set_opt_out(opt_out);
    r.set_kind(kind);
    r.set_send_confirmation(confirm);
    *r.mutable_proof()->mutable_capture_time() = ToProto(absl::Now());
    r.mutable_proof()->set_reference("support call 2025-06-01");
    v1::RevokeConsentResponse resp;
    grpc::Status st = stub_->RevokeConsent(Ctx().get(), r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }
};

TEST_F(ConsentApiTest, GrantRevokeAndHistory) {
  const auto granted = Grant(GrantRequest("(415) 555-9999"));
  const v1::ConsentEvent& e = granted.event();
  EXPECT_TRUE(sms::IsMessageId(e.event_id()));
  EXPECT_EQ(e.recipient(), kCustomer);
  EXPECT_EQ(e.action(), v1::CONSENT_ACTION_GRANT);
  EXPECT_EQ(e.proof().recorded_by(), "crm-backend");
  ASSERT_EQ(granted.state().grants_size(), 1);
  EXPECT_EQ(granted.state().grants(0).event_id(), e.event_id());
  const auto ledger = LedgerEvents(1);
  EXPECT_EQ(ledger[0].event_id(), e.event_id());
  EXPECT_EQ(ledger_reader_->Messages()[0].key, std::string("acme|") + kCustomer);

  ASSERT_TRUE(WaitApplied(e.event_id()));
  v1::ConsentDecision d = Check(v1::CATEGORY_MARKETING);
  EXPECT_TRUE(d.allowed());
  EXPECT_EQ(d.basis_event().proof().text(), GrantRequest().proof().text());

  const auto revoked = Revoke(false, v1::CONSENT_KIND_EXPRESS_WRITTEN);
  EXPECT_EQ(revoked.event().action(), v1::CONSENT_ACTION_REVOKE);
  EXPECT_EQ(revoked.event().proof().source(), v1::CONSENT_SOURCE_API);
  EXPECT_EQ(revoked.state().grants_size(), 0);
  ASSERT_TRUE(WaitApplied(revoked.event().event_id()));
  EXPECT_EQ(Check(v1::CATEGORY_MARKETING).reason_code(), v1::REASON_CODE_NO_CONSENT);

  const auto opted = Revoke(true, v1::CONSENT_KIND_UNSPECIFIED, /*confirm=*/true);
  EXPECT_TRUE(opted.state().opted_out());
  const auto replies = Replies(1);
  EXPECT_EQ(replies[0].consent_event_id(), opted.event().event_id());
  EXPECT_EQ(replies[0].from(), kBusiness);
  ASSERT_TRUE(WaitApplied(opted.event().event_id()));

  // History: oldest first, two pages of two and one.
  std::vector<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    v1::ListConsentHistoryRequest req;
    req.set_tenant_id("acme");
    req.set_recipient(kCustomer);
    req.set_page_size(2);
    req.set_page_token(token);
    v1::ListConsentHistoryResponse resp;
    ASSERT_TRUE(stub_->ListConsentHistory(Ctx().get(), req, &resp).ok());
    for (const auto& ev : resp.events()) ids.push_back(ev.event_id());
    token = resp.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 5);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(ids, (std::vector<std::string>{e.event_id(), revoked.event().event_id(),
                                           opted.event().event_id()}));
}

TEST_F(ConsentApiTest, LiftOptOutAndIdempotentRepeat) {
  const auto out = Revoke(true, v1::CONSENT_KIND_UNSPECIFIED);
  ASSERT_TRUE(WaitApplied(out.event().event_id()));
  auto g = GrantRequest();
  const auto kept = Grant(g);
  EXPECT_TRUE(kept.state().opted_out());  // a grant does not lift an opt-out by itself
  g.set_lift_opt_out(true);
  g.set_idempotency_key("signup-77");
  const auto lifted = Grant(g);
  EXPECT_FALSE(lifted.state().opted_out());
  const auto again = Grant(g);
  EXPECT_EQ(again.event().event_id(), lifted.event().event_id());
  // Opt-out, grant, grant + opt-in: the repeat recorded nothing.
  ASSERT_TRUE(testing::WaitFor([&] { return ledger_consumer_->Stats().done >= 4; }));
  EXPECT_EQ(ledger_reader_->WaitForCount(4).size(), 4u);
  EXPECT_TRUE(Check(v1::CATEGORY_MARKETING).allowed());
}

TEST_F(ConsentApiTest, ExportStreamsTheTenantsStatesInOrder) {
  Grant(GrantRequest("+14155550003"));
  Grant(GrantRequest("+14155550001"));
  const auto last = Grant(GrantRequest("+14155550002"));
  ASSERT_TRUE(WaitApplied(last.event().event_id(), "+14155550002"));
  ASSERT_TRUE(testing::WaitFor([&] { return ledger_consumer_->Stats().done >= 3; }));
  v1::ExportConsentRequest req;
  req.set_tenant_id("acme");
  auto ctx = Ctx();
  auto reader = stub_->ExportConsent(ctx.get(), req);
  v1::ExportConsentResponse chunk;
  std::vector<std::string> recipients;
  while (reader->Read(&chunk)) {
    for (const auto& s : chunk.states()) recipients.push_back(s.recipient());
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_EQ(recipients, (std::vector<std::string>{"+14155550001", "+14155550002", "+14155550003"}));

  req.set_sender_scope("tollfree");  // nothing there
  auto ctx2 = Ctx();
  auto empty = stub_->ExportConsent(ctx2.get(), req);
  EXPECT_FALSE(empty->Read(&chunk));
  EXPECT_TRUE(empty->Finish().ok());
}

TEST_F(ConsentApiTest, BatchCheckOneCallManyRecipients) {
  const auto g = Grant(GrantRequest("+14155550007"));
  ASSERT_TRUE(WaitApplied(g.event().event_id(), "+14155550007"));
  v1::CheckConsentBatchRequest req;
  req.set_tenant_id("acme");
  for (int i = 0; i < 3000; ++i) {
    auto* c = req.add_checks();
    c->set_sender_scope("main");
    c->set_recipient(i == 5 ? "not a number" : absl::StrCat("+1415555", 1000 + i));
    c->set_category(v1::CATEGORY_MARKETING);
  }
  req.mutable_checks(7)->set_recipient("+14155550007");
  v1::CheckConsentBatchResponse resp;
  ASSERT_TRUE(stub_->CheckConsentBatch(Ctx().get(), req, &resp).ok());
  ASSERT_EQ(resp.results_size(), 3000);
  EXPECT_EQ(resp.results(5).rejection().field(), "recipient");
  EXPECT_EQ(resp.results(5).rejection().reason_code(), v1::REASON_CODE_INVALID_NUMBER);
  EXPECT_TRUE(resp.results(7).decision().allowed());
  EXPECT_EQ(resp.results(7).index(), 7);
  EXPECT_EQ(resp.results(8).decision().reason_code(), v1::REASON_CODE_NO_CONSENT);
}

TEST_F(ConsentApiTest, ValidationNamesTheFieldAndTenantsAreConfined) {
  auto g = GrantRequest();
  g.clear_recipient();
  v1::GrantConsentResponse r;
  grpc::Status st = stub_->GrantConsent(Ctx().get(), g, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message().rfind("recipient:", 0), 0u) << st.error_message();
  g = GrantRequest();
  g.mutable_proof()->clear_reference();
  st = stub_->GrantConsent(Ctx().get(), g, &r);
  EXPECT_EQ(st.error_message().rfind("proof.reference:", 0), 0u) << st.error_message();
  g = GrantRequest();
  g.set_kind(v1::CONSENT_KIND_UNSPECIFIED);
  st = stub_->GrantConsent(Ctx().get(), g, &r);
  EXPECT_EQ(st.error_message().rfind("kind:", 0), 0u) << st.error_message();

  st = stub_->GrantConsent(Ctx("globex").get(), GrantRequest(), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::CheckConsentRequest c;
  c.set_tenant_id("acme");
  c.set_sender_scope("main");
  c.set_recipient(kCustomer);
  c.set_category(v1::CATEGORY_UNSPECIFIED);
  v1::CheckConsentResponse cr;
  st = stub_->CheckConsent(Ctx().get(), c, &cr);
  EXPECT_EQ(st.error_message().rfind("category:", 0), 0u) << st.error_message();
  v1::ListConsentHistoryRequest h;
  h.set_tenant_id("acme");
  h.set_recipient(kCustomer);
  h.set_page_token("garbage");
  v1::ListConsentHistoryResponse hr;
  st = stub_->ListConsentHistory(Ctx().get(), h, &hr);
  EXPECT_EQ(st.error_message().rfind("page_token:", 0), 0u) << st.error_message();
  EXPECT_EQ(ledger_reader_->Count(), 0u);
}

}  // namespace
}  // namespace smsflow::consent::ledger
