#include "services/sender/api/send_rules.h"

#include <gtest/gtest.h>

#include <set>

#include "lib/sms/message_id.h"

namespace smsflow::sender {
namespace {

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
      - {number: "+14155550101", scope: promo}
      - {number: "+14155550102", scope: promo}
      - {number: "+14155550103", scope: promo}
      - {number: "12345", type: short_code, scope: codes}
  - id: globex
    brand: {name: Globex, description: reminders, frequency: varies, support: g@globex.example}
    numbers:
      - {number: "+13125550100"}
)";

class SendRulesTest : public ::testing::Test {
 protected:
  SendRulesTest()
      : tenants_(*config::TenantDirectory::FromYaml(kTenants)),
        templates_(*TemplateCatalog::FromYaml(
            "templates:\n  - {tenant: acme, id: code, text: 'Your code is {{code}}'}\n")) {}

  v1::BatchSettings Settings() {
    v1::BatchSettings s;
    s.set_from("+1 415 555 0100");
    s.set_body("Your order shipped");
    s.set_category(v1::CATEGORY_TRANSACTIONAL);
    return s;
  }
  absl::StatusOr<SendSettings> Validate(const v1::BatchSettings& s, Problem* p = nullptr) {
    return ValidateSettings("acme", s, *tenants_, *templates_, limits_, now_, "settings.", p);
  }
  absl::StatusOr<v1::OutboundRequest> Prepare(const v1::BatchSettings& s, const std::string& to,
                                              std::map<std::string, std::string> vars, Problem* p) {
    auto settings = Validate(s);
    if (!settings.ok()) return settings.status();
    v1::BatchRecipient r;
    r.set_to(to);
    for (auto& [k, v] : vars) (*r.mutable_variables())[k] = v;
    return PrepareRecipient(*settings, r, limits_, p);
  }

  std::shared_ptr<const config::TenantDirectory> tenants_;
  std::shared_ptr<const TemplateCatalog> templates_;
  SendLimits limits_;
  absl::Time now_ = absl::FromUnixSeconds(1700000000);
};

TEST_F(SendRulesTest, PreparesAFullRequest) {
  Problem p;
  auto req = Prepare(Settings(), "(415) 555-0199", {}, &p);
  ASSERT_TRUE(req.ok()) << req.status();
  EXPECT_TRUE(sms::IsMessageId(req->message_id()));
  EXPECT_EQ(req->tenant_id(), "acme");
  EXPECT_EQ(req->from(), "+14155550100");
  EXPECT_EQ(req->sender_scope(), "main");
  EXPECT_EQ(req->to(), "+14155550199");
  EXPECT_EQ(req->encoding(), v1::ENCODING_GSM7);
  EXPECT_EQ(req->segments(), 1);
  EXPECT_EQ(req->origin(), v1::OUTBOUND_ORIGIN_SENDER_API);
  EXPECT_FALSE(req->has_send_time());
  EXPECT_EQ(FromProto(req->expire_time()), now_ + absl::Hours(24));
  EXPECT_EQ(InitialStatus(*req), v1::MESSAGE_STATUS_ACCEPTED);
}

TEST_F(SendRulesTest, SenderMustBelongToTheTenant) {
  Problem p;
  auto s = Settings();
  s.set_from("+13125550100");  // globex's
  EXPECT_FALSE(Validate(s, &p).ok());
  EXPECT_EQ(p.field, "settings.from");
  EXPECT_EQ(p.reason, v1::REASON_CODE_SENDER_NOT_ALLOWED);
  s.set_from("12345");
  ASSERT_TRUE(Validate(s).ok());
  EXPECT_EQ(Validate(s)->sender_scope, "codes");
  s.set_sender_pool("nope");
  EXPECT_EQ(Validate(s).status().message().substr(0, 21), "settings.sender_pool:");
  s.clear_sender();
  EXPECT_EQ(Validate(s).status().message(),
            "settings.from: one of from or sender_pool is required");
}

TEST_F(SendRulesTest, PoolPicksAStickyNumberOfThePool) {
  auto s = Settings();
  s.set_sender_pool("promo");
  std::set<std::string> used;
  for (int i = 0; i < 40; ++i) {
    Problem p;
    const std::string to = "+1415555" + std::to_string(1000 + i);
    auto a = Prepare(s, to, {}, &p);
    auto b = Prepare(s, to, {}, &p);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->from(), b->from());
    EXPECT_EQ(a->sender_scope(), "promo");
    used.insert(a->from());
  }
  EXPECT_EQ(used, (std::set<std::string>{"+14155550101", "+14155550102", "+14155550103"}));
}

TEST_F(SendRulesTest, RecipientProblemsNameTheField) {
  Problem p;
  EXPECT_FALSE(Prepare(Settings(), "555", {}, &p).ok());
  EXPECT_EQ(p.field, "to");
  EXPECT_EQ(p.reason, v1::REASON_CODE_INVALID_NUMBER);
  EXPECT_EQ(p.ToStatus().message().substr(0, 4), "to: ");

  auto s = Settings();
  s.set_template_text("Hi {{first_name}}, your code is {{code}}");
  (*s.mutable_variables())["code"] = "1234";
  EXPECT_FALSE(Prepare(s, "+14155550199", {}, &p).ok());
  EXPECT_EQ(p.field, "variables.first_name");
  EXPECT_EQ(p.reason, v1::REASON_CODE_TEMPLATE_VARIABLE_MISSING);
  auto ok = Prepare(s, "+14155550199", {{"first_name", "Zoë"}, {"code", "9"}}, &p);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->body(), "Hi Zoë, your code is 9");  // recipient value wins over the shared one
}

TEST_F(SendRulesTest, SegmentsAreCountedOnTheRenderedBody) {
  Problem p;
  auto s = Settings();
  s.set_template_text("{{x}}");
  auto gsm = Prepare(s, "+14155550199", {{"x", std::string(161, 'a')}}, &p);
  ASSERT_TRUE(gsm.ok());
  EXPECT_EQ(gsm->encoding(), v1::ENCODING_GSM7);
  EXPECT_EQ(gsm->segments(), 2);
  auto ucs = Prepare(s, "+14155550199", {{"x", "Thanks 😀"}}, &p);
  ASSERT_TRUE(ucs.ok());
  EXPECT_EQ(ucs->encoding(), v1::ENCODING_UCS2);
  EXPECT_EQ(ucs->segments(), 1);
  // 10 parts of 153 fit; one more character makes 11 > limit.
  EXPECT_TRUE(Prepare(s, "+14155550199", {{"x", std::string(1530, 'a')}}, &p).ok());
  EXPECT_FALSE(Prepare(s, "+14155550199", {{"x", std::string(1531, 'a')}}, &p).ok());
  EXPECT_EQ(p.reason, v1::REASON_CODE_BODY_TOO_LONG);
  EXPECT_EQ(p.field, "template_text");
  EXPECT_FALSE(Prepare(s, "+14155550199", {{"x", "   "}}, &p).ok());
  EXPECT_EQ(p.reason, v1::REASON_CODE_EMPTY_BODY);
  // Smart encoding keeps a pasted curly quote in GSM-7.
  s.set_smart_encoding(true);
  auto smart = Prepare(s, "+14155550199", {{"x", "It\u2019s here"}}, &p);
  ASSERT_TRUE(smart.ok());
  EXPECT_EQ(smart->encoding(), v1::ENCODING_GSM7);
}

TEST_F(SendRulesTest, NamedTemplatesComeFromTheCatalog) {
  Problem p;
  auto s = Settings();
  s.set_template_id("code");
  auto req = Prepare(s, "+14155550199", {{"code", "777"}}, &p);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->body(), "Your code is 777");
  s.set_template_id("missing");
  EXPECT_FALSE(Validate(s, &p).ok());
  EXPECT_EQ(p.reason, v1::REASON_CODE_UNKNOWN_TEMPLATE);
}

TEST_F(SendRulesTest, CategoryIsRequiredAndComplianceRefused) {
  auto s = Settings();
  s.set_category(v1::CATEGORY_UNSPECIFIED);
  EXPECT_EQ(Validate(s).status().message(), "settings.category: required");
  s.set_category(v1::CATEGORY_COMPLIANCE);
  EXPECT_EQ(Validate(s).status().message(),
            "settings.category: CATEGORY_COMPLIANCE is not allowed");
}

TEST_F(SendRulesTest, SendTimeAndValidityWindows) {
  auto s = Settings();
  *s.mutable_send_time() = ToProto(now_ - absl::Minutes(1));  // within skew: now
  auto v = Validate(s);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->send_time.has_value());
  *s.mutable_send_time() = ToProto(now_ - absl::Hours(1));
  EXPECT_EQ(Validate(s).status().message().substr(0, 19), "settings.send_time:");
  *s.mutable_send_time() = ToProto(now_ + absl::Hours(24 * 36));
  EXPECT_FALSE(Validate(s).ok());
  *s.mutable_send_time() = ToProto(now_ + absl::Hours(2));
  v = Validate(s);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v->send_time, now_ + absl::Hours(2));
  EXPECT_EQ(v->expire_time, now_ + absl::Hours(26));  // validity counts from send_time

  s.mutable_validity()->set_seconds(73 * 3600);
  EXPECT_EQ(Validate(s).status().message().substr(0, 18), "settings.validity:");
  s.mutable_validity()->set_seconds(0);
  EXPECT_FALSE(Validate(s).ok());
  s.mutable_validity()->set_seconds(3600);
  EXPECT_EQ(Validate(s)->expire_time, now_ + absl::Hours(3));

  auto otp = Settings();
  otp.set_category(v1::CATEGORY_OTP);
  EXPECT_EQ(Validate(otp)->expire_time, now_ + absl::Minutes(10));
}

TEST_F(SendRulesTest, KeyAndTagLengths) {
  auto s = Settings();
  s.set_idempotency_key(std::string(129, 'k'));
  EXPECT_EQ(Validate(s).status().message(), "settings.idempotency_key: longer than 128 bytes");
  s.set_idempotency_key(std::string(128, 'k'));
  s.set_status_callback_tag(std::string(257, 't'));
  EXPECT_FALSE(Validate(s).ok());
}

TEST_F(SendRulesTest, SingleMessageMapsToABatchOfOne) {
  v1::SendMessageRequest m;
  m.set_tenant_id("acme");
  m.set_sender_pool("promo");
  m.set_to("+14155550199");
  m.set_template_text("Hi {{n}}");
  (*m.mutable_variables())["n"] = "Al";
  m.set_category(v1::CATEGORY_MARKETING);
  m.set_recipient_time_zone("America/Denver");
  auto s = ValidateSettings("acme", SettingsOf(m), *tenants_, *templates_, limits_, now_, "");
  ASSERT_TRUE(s.ok());
  Problem p;
  auto req = PrepareRecipient(*s, RecipientOf(m), limits_, &p);
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->body(), "Hi Al");
  EXPECT_EQ(req->recipient_time_zone(), "America/Denver");
  m.set_recipient_time_zone("Mars/Olympus");
  EXPECT_FALSE(PrepareRecipient(*s, RecipientOf(m), limits_, &p).ok());
  EXPECT_EQ(p.field, "recipient_time_zone");
}

}  // namespace
}  // namespace smsflow::sender
