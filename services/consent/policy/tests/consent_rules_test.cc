#include "services/consent/policy/consent_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::consent::policy {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1780000000);

ConsentState With(ConsentKind kind, absl::Duration age = absl::Minutes(1)) {
  ConsentState s;
  s.grants.push_back({kind, kNow - age, "ledger:42"});
  return s;
}

// categories x consent kinds, each grant one minute old.
TEST(ConsentRulesTest, CategoryByKindMatrix) {
  using C = Category;
  using K = ConsentKind;
  struct Row {
    Category category;
    bool allowed[5];  // none, implied, otp_request, express, express_written
  };
  const Row rows[] = {
      {C::kOtp, {false, false, true, false, false}},
      {C::kTransactional, {false, true, false, true, true}},
      {C::kConversational, {false, true, false, true, true}},
      {C::kMarketing, {false, false, false, false, true}},
      {C::kCompliance, {true, true, true, true, true}},
  };
  const ConsentRules rules;
  for (const Row& row : rows) {
    for (int k = 0; k < 5; ++k) {
      const K kind = kAllConsentKinds[k];
      SCOPED_TRACE(std::string(CategoryName(row.category)) + " x " +
                   std::string(ConsentKindName(kind)));
      const ConsentVerdict v = rules.Required(row.category, With(kind), kNow);
      EXPECT_EQ(v.allowed, row.allowed[k]);
      if (v.allowed) {
        EXPECT_EQ(v.reason, "");
      } else if (kind == K::kNone) {
        EXPECT_EQ(v.reason, "no_consent");  // a "none" entry is no grant at all
      } else {
        EXPECT_EQ(v.reason, "consent_insufficient");
      }
    }
  }
}

TEST(ConsentRulesTest, NoGrantsIsNoConsent) {
  const ConsentVerdict v = ConsentRules().Required(Category::kMarketing, ConsentState{}, kNow);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.reason, "no_consent");
  EXPECT_THAT(v.evidence, HasSubstr("marketing needs express_written"));
}

TEST(ConsentRulesTest, OptOutBlocksEverythingButCompliance) {
  ConsentState s = With(ConsentKind::kExpressWritten);
  s.grants.push_back({ConsentKind::kOtpRequest, kNow, "otp:1"});
  s.opted_out = true;
  s.opted_out_at = kNow - absl::Hours(1);
  s.opt_out_ref = "ledger:99";
  const ConsentRules rules;
  for (Category c : kAllCategories) {
    const ConsentVerdict v = rules.Required(c, s, kNow);
    if (c == Category::kCompliance) {
      EXPECT_TRUE(v.allowed);
    } else {
      EXPECT_FALSE(v.allowed) << CategoryName(c);
      EXPECT_EQ(v.reason, "recipient_opted_out");
      EXPECT_THAT(v.evidence, HasSubstr("ref=ledger:99"));
    }
  }
}

TEST(ConsentRulesTest, ImpliedConsentLastsItsWindow) {
  const ConsentRules rules;  // 24 h
  EXPECT_TRUE(
      rules.Required(Category::kConversational, With(ConsentKind::kImplied, absl::Hours(24)), kNow)
          .allowed);
  const ConsentVerdict v =
      rules.Required(Category::kConversational,
                     With(ConsentKind::kImplied, absl::Hours(24) + absl::Seconds(1)), kNow);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.reason, "consent_insufficient");
  EXPECT_THAT(v.evidence, HasSubstr("implied granted"));
  // Express consent does not age.
  EXPECT_TRUE(rules
                  .Required(Category::kTransactional,
                            With(ConsentKind::kExpress, absl::Hours(24 * 400)), kNow)
                  .allowed);

  const ConsentRules two_hours({.implied_window = absl::Hours(2)});
  EXPECT_FALSE(
      two_hours
          .Required(Category::kTransactional, With(ConsentKind::kImplied, absl::Hours(3)), kNow)
          .allowed);
}

TEST(ConsentRulesTest, OtpRequestLastsItsWindow) {
  const ConsentRules rules;  // 10 min
  EXPECT_TRUE(
      rules.Required(Category::kOtp, With(ConsentKind::kOtpRequest, absl::Minutes(10)), kNow)
          .allowed);
  EXPECT_FALSE(
      rules.Required(Category::kOtp, With(ConsentKind::kOtpRequest, absl::Minutes(11)), kNow)
          .allowed);
  // A request stamped slightly ahead of our clock still counts.
  EXPECT_TRUE(
      rules.Required(Category::kOtp, With(ConsentKind::kOtpRequest, -absl::Seconds(2)), kNow)
          .allowed);
}

TEST(ConsentRulesTest, EvidenceNamesTheStrongestSufficientGrant) {
  ConsentState s;
  s.grants.push_back({ConsentKind::kImplied, kNow - absl::Minutes(5), "sms:in:1"});
  s.grants.push_back({ConsentKind::kExpressWritten, kNow - absl::Hours(100), "form:7"});
  s.grants.push_back({ConsentKind::kExpress, kNow - absl::Hours(1), "api:3"});
  const ConsentVerdict v = ConsentRules().Required(Category::kTransactional, s, kNow);
  EXPECT_TRUE(v.allowed);
  EXPECT_THAT(v.evidence, HasSubstr("express_written granted"));
  EXPECT_THAT(v.evidence, HasSubstr("ref=form:7"));

  const ConsentVerdict m =
      ConsentRules().Required(Category::kMarketing, With(ConsentKind::kExpress), kNow);
  EXPECT_EQ(m.reason, "consent_insufficient");
  EXPECT_THAT(m.evidence, HasSubstr("marketing needs express_written; on record: express granted"));
}

TEST(ConsentRulesTest, NamesRoundTrip) {
  for (Category c : kAllCategories) EXPECT_EQ(ParseCategory(CategoryName(c)), c);
  for (ConsentKind k : kAllConsentKinds) EXPECT_EQ(ParseConsentKind(ConsentKindName(k)), k);
  EXPECT_FALSE(ParseCategory("promo").has_value());
}

}  // namespace
}  // namespace smsflow::consent::policy
