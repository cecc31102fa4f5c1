// Frequency-cap rules and the in-memory ledger (the Redis ledger has the same
// semantics and is exercised by the integration tests).
#include "services/consent/gate/frequency_caps.h"

#include <gtest/gtest.h>

#include "services/consent/gate/gate_config.h"

namespace smsflow::consent::gate {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1718200000);

TEST(FrequencyCapsTest, RulesApplyByRegionAndCategory) {
  const auto rules = GateConfig::DefaultCaps();
  using policy::Category;
  EXPECT_EQ(CapsFor(rules, Category::kMarketing, {"US-FL"}, "acme", "+1305", "").size(), 1u);
  EXPECT_EQ(CapsFor(rules, Category::kMarketing, {"US-OK"}, "acme", "+1918", "").size(), 1u);
  EXPECT_TRUE(CapsFor(rules, Category::kMarketing, {"US-NY"}, "acme", "+1212", "").empty());
  EXPECT_TRUE(CapsFor(rules, Category::kTransactional, {"US-FL"}, "acme", "+1305", "").empty());
  // A split or uncertain place: any candidate in a capped state counts.
  EXPECT_EQ(CapsFor(rules, Category::kMarketing, {"US-GA", "US-FL"}, "acme", "+1", "").size(), 1u);
  // "US" covers every state; "US-F" is not a prefix of "US-FL" in the region sense.
  EXPECT_TRUE(RuleApplies({.name = "us", .regions = {"US"}, .categories = {Category::kMarketing}},
                          Category::kMarketing, {"US-TX"}));
  EXPECT_FALSE(RuleApplies({.name = "x", .regions = {"US-F"}, .categories = {Category::kMarketing}},
                           Category::kMarketing, {"US-FL"}));
  // Subjects are counted apart; tenants too.
  const auto a = CapsFor(rules, Category::kMarketing, {"US-FL"}, "acme", "+1305", "spring");
  const auto b = CapsFor(rules, Category::kMarketing, {"US-FL"}, "acme", "+1305", "fall");
  const auto c = CapsFor(rules, Category::kMarketing, {"US-FL"}, "globex", "+1305", "spring");
  EXPECT_NE(a[0].key, b[0].key);
  EXPECT_NE(a[0].key, c[0].key);
}

TEST(FrequencyCapsTest, FourthInTheWindowIsRefusedAndRetriesDoNotCount) {
  InMemoryCapLedger ledger;
  const auto caps =
      CapsFor(GateConfig::DefaultCaps(), policy::Category::kMarketing, {"US-FL"}, "acme", "+1", "");
  auto r = ledger.ReserveAll({{"m1", kT0, caps},
                              {"m2", kT0 + absl::Hours(1), caps},
                              {"m3", kT0 + absl::Hours(2), caps},
                              {"m4", kT0 + absl::Hours(3), caps}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<int>{-1, -1, -1, 0}));
  // A retried reservation of an already counted message passes without counting.
  EXPECT_EQ((*ledger.ReserveAll({{"m3", kT0 + absl::Hours(4), caps}}))[0], -1);
  // The window slides: 24 h after m1, one slot is free again.
  EXPECT_EQ((*ledger.ReserveAll({{"m5", kT0 + absl::Hours(23), caps}}))[0], 0);
  EXPECT_EQ((*ledger.ReserveAll({{"m5", kT0 + absl::Hours(24), caps}}))[0], -1);
  // Released slots (message not sent after all) free up.
  ASSERT_TRUE(ledger.ReleaseAll({{"m5", kT0, caps}}).ok());
  EXPECT_EQ((*ledger.ReserveAll({{"m6", kT0 + absl::Hours(24), caps}}))[0], -1);
}

}  // namespace
}  // namespace smsflow::consent::gate
