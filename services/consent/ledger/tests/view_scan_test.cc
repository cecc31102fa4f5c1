#include "services/consent/ledger/view_scan.h"

#include <gtest/gtest.h>

#include "lib/consent_view/consent_view.h"

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

TEST(ViewScanTest, ReadinessKeysAreNotViewKeys) {
  redis::Pool pool(redis::Options{}, 1);  // never connects: only key names are used
  consentview::ConsentView view(pool);
  const std::string prefix = view.prefix();
  for (const std::string& key : {view.ReadyKey(), view.RebuildingKey()}) {
    ASSERT_EQ(key.rfind(prefix, 0), 0u) << key;
    EXPECT_FALSE(ParseViewKey(std::string_view(key).substr(prefix.size())).has_value()) << key;
  }
  // A tenant whose id looks like the marker still has its own keys.
  const std::string look_alike = view.RedisKey({"meta:ready", "main", "+1"});
  EXPECT_TRUE(ParseViewKey(std::string_view(look_alike).substr(prefix.size())).has_value());
  EXPECT_NE(look_alike, view.ReadyKey());
}

TEST(ViewScanTest, EscapesGlobCharacters) {
  EXPECT_EQ(GlobEscape("a*b?c[d]e\\f"), "a\\*b\\?c\\[d\\]e\\\\f");
  EXPECT_EQ(GlobEscape("smsflow:consent:acme|"), "smsflow:consent:acme|");
}

}  // namespace
}  // namespace smsflow::consent::ledger
