#include "services/router/service/subscription_hub.h"

#include <gtest/gtest.h>

namespace smsflow::router {
namespace {

using Event = Subscription::Event;
constexpr std::chrono::milliseconds kNoWait{0};

v1::RoutedMessage Routed(const std::string& tenant, const std::string& destination,
                         const std::string& id) {
  v1::RoutedMessage m;
  m.mutable_message()->set_tenant_id(tenant);
  m.mutable_message()->set_message_id(id);
  m.mutable_classification()->set_destination(destination);
  return m;
}

TEST(SubscriptionHubTest, DeliversOnlyTheSubscribedTenantAndDestinationToEveryStream) {
  SubscriptionHub hub(10, nullptr);
  auto a1 = hub.Subscribe("acme", "billing");
  auto a2 = hub.Subscribe("acme", "billing");
  auto other = hub.Subscribe("acme", "support");
  hub.Publish(Routed("acme", "billing", "1"));
  hub.Publish(Routed("globex", "billing", "2"));
  hub.Publish(Routed("acme", "billing", "3"));
  for (auto& sub : {a1, a2}) {
    std::shared_ptr<const v1::RoutedMessage> m;
    ASSERT_EQ(sub->Next(kNoWait, &m), Event::kMessage);
    EXPECT_EQ(m->message().message_id(), "1");
    ASSERT_EQ(sub->Next(kNoWait, &m), Event::kMessage);
    EXPECT_EQ(m->message().message_id(), "3");
    EXPECT_EQ(sub->Next(kNoWait, &m), Event::kTimeout);
  }
  std::shared_ptr<const v1::RoutedMessage> m;
  EXPECT_EQ(other->Next(kNoWait, &m), Event::kTimeout);
}

TEST(SubscriptionHubTest, SlowSubscriberOverflowsWithoutAffectingOthers) {
  SubscriptionHub hub(2, nullptr);
  int overflow_calls = 0;
  auto slow = hub.Subscribe("acme", "billing", [&] { ++overflow_calls; });
  auto fast = hub.Subscribe("acme", "billing");
  std::shared_ptr<const v1::RoutedMessage> m;
  for (int i = 0; i < 5; ++i) {
    hub.Publish(Routed("acme", "billing", std::to_string(i)));
    ASSERT_EQ(fast->Next(kNoWait, &m), Event::kMessage);
    EXPECT_EQ(m->message().message_id(), std::to_string(i));
  }
  EXPECT_EQ(slow->Next(kNoWait, &m), Event::kOverflow);
  EXPECT_EQ(overflow_calls, 1);
  EXPECT_EQ(hub.size(), 1u);
}

TEST(SubscriptionHubTest, UnsubscribeAndCloseEndStreams) {
  SubscriptionHub hub(4, nullptr);
  auto a = hub.Subscribe("acme", "billing");
  auto b = hub.Subscribe("acme", "billing");
  EXPECT_EQ(hub.size(), 2u);
  hub.Unsubscribe(a);
  EXPECT_EQ(hub.size(), 1u);
  hub.Publish(Routed("acme", "billing", "1"));
  hub.Close();
  std::shared_ptr<const v1::RoutedMessage> m;
  ASSERT_EQ(b->Next(kNoWait, &m), Event::kMessage);  // queued before close
  EXPECT_EQ(b->Next(kNoWait, &m), Event::kClosed);
  EXPECT_EQ(hub.Subscribe("acme", "billing")->Next(kNoWait, &m), Event::kClosed);
  EXPECT_EQ(hub.size(), 0u);
}

}  // namespace
}  // namespace smsflow::router
