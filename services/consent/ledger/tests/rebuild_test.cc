// The Redis view is derived from sms.consent.v1: replaying the topic into a
// fresh prefix gives exactly the live view.
#include "services/consent/ledger/tests/ledger_fixture.h"
#include "services/consent/ledger/view_rebuild.h"

namespace smsflow::consent::ledger {
namespace {

class RebuildTest : public LedgerFixture {};

TEST_F(RebuildTest, RebuiltViewEqualsLiveView) {
  // A mix of keyword events, implied consent and API grants over a few
  // recipients (several partitions).
  for (int i = 0; i < 6; ++i) {
    const std::string phone = absl::StrCat("+1415555", 2000 + i);
    Inbound("hello", phone);
    if (i % 2 == 0) Inbound("STOP", phone);
    if (i % 3 == 0) Inbound("START", phone);
  }
  Inbound("please stop texting me");
  const size_t expected = 6 + 3 + 2 + 1;
  ASSERT_EQ(LedgerEvents(expected).size(), expected);
  ASSERT_TRUE(testing::WaitFor([&] { return ledger_consumer_->Stats().done >= expected; }));

  RebuildOptions opts;
  opts.brokers = kafka_.bootstrap();
  opts.view_prefix = "smsflow:consent-rebuild:1:";
  opts.history_prefix = "smsflow:consent-rebuild-history:1:";
  opts.timeout = std::chrono::seconds(60);
  opts.consumer_extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
  auto report = RebuildView(opts, *pool_, *producer_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->events_applied, static_cast<int64_t>(expected));

  auto diff = CompareViews(*pool_, "smsflow:consent:", opts.view_prefix);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_TRUE(diff->Equal());
  EXPECT_EQ(diff->same, 7);  // six recipients plus the customer
  EXPECT_EQ(diff->live_newer, 0);

  // The rebuilt history matches too.
  ConsentHistory rebuilt(*pool_, opts.history_prefix);
  auto live_page = history_->List("acme", "+14155552000", "", 100, "");
  auto rebuilt_page = rebuilt.List("acme", "+14155552000", "", 100, "");
  ASSERT_TRUE(live_page.ok() && rebuilt_page.ok());
  ASSERT_EQ(live_page->events.size(), 3u);
  ASSERT_EQ(rebuilt_page->events.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(live_page->events[i].event_id(), rebuilt_page->events[i].event_id());
  }

  // A corrupted live state is found.
  consentview::ConsentView live(*pool_);
  auto s = live.GetAll({{"acme", "main", "+14155552001"}});
  ASSERT_TRUE(s.ok() && (*s)[0].has_value());
  auto corrupted = *(*s)[0];
  corrupted.state.set_opted_out(!corrupted.state.opted_out());
  auto lease = pool_->Acquire();
  ASSERT_TRUE(
      (*lease)
          ->Command({"SET", live.RedisKey({"acme", "main", "+14155552001"}),
                     absl::StrCat(corrupted.version, "|", corrupted.state.SerializeAsString())})
          .ok());
  diff = CompareViews(*pool_, "smsflow:consent:", opts.view_prefix);
  ASSERT_TRUE(diff.ok());
  EXPECT_FALSE(diff->Equal());
  EXPECT_EQ(diff->different, 1);
  ASSERT_EQ(diff->examples.size(), 1u);
  EXPECT_EQ(diff->examples[0].recipient, "+14155552001");
}

}  // namespace
}  // namespace smsflow::consent::ledger
