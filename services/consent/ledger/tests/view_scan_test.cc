#include "services/consent/ledger/view_scan.h"

#include <gtest/gtest.h>

namespace smsflow::consent::ledger {
namespace {

TEST(ViewScanTest, ParsesViewKeysWithAnyScope) {
  auto k = ParseViewKey("acme|7:a|b:c*d|+14155550100");
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(k->tenant_id, "acme");
  EXPECT_EQ(k->sender_scope, "a|b:c*d");
  EXPECT_EQ(k->recipient, "+14155550100");
  EXPECT_FALSE(ParseViewKey("acme|9:main|+1").has_value());
  EXPECT_FALSE(ParseViewKey("acme").has_value());
  EXPECT_FALSE(ParseViewKey("acme|4:main|").has_value());
}

TEST(ViewScanTest, EscapesGlobCharacters) {
  EXPECT_EQ(GlobEscape("a*b?c[d]e\\f"), "a\\*b\\?c\\[d\\]e\\\\f");
  EXPECT_EQ(GlobEscape("smsflow:consent:acme|"), "smsflow:consent:acme|");
}

}  // namespace
}  // namespace smsflow::consent::ledger
