#include "lib/kafka/topics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace smsflow::kafka {
namespace {

TEST(Topics, DlqAppendsSuffix) {
  EXPECT_EQ(topics::Dlq(topics::kInbound), "sms.inbound.v1.dlq");
  EXPECT_EQ(topics::Dlq("x"), "x.dlq");
}

TEST(Topics, AllHasEveryTopicAndItsDlqOnce) {
  const std::vector<std::string> all = topics::All();
  EXPECT_EQ(all.size(), 20u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
  for (std::string_view topic :
       {topics::kInbound, topics::kDelivery, topics::kConsent, topics::kOutboundRequested,
        topics::kRouted, topics::kApprovedOtp, topics::kApprovedTransactional,
        topics::kApprovedConversational, topics::kApprovedMarketing, topics::kOutboundDeferred}) {
    EXPECT_NE(std::find(all.begin(), all.end(), topic), all.end()) << topic;
    EXPECT_NE(std::find(all.begin(), all.end(), topics::Dlq(topic)), all.end()) << topic;
  }
}

TEST(Topics, LanesInPriorityOrder) {
  EXPECT_EQ(topics::kApprovedLanes.front(), topics::kApprovedOtp);
  EXPECT_EQ(topics::kApprovedLanes.back(), topics::kApprovedMarketing);
  for (std::string_view lane : topics::kApprovedLanes) {
    EXPECT_TRUE(lane.starts_with("sms.outbound.approved.v1.")) << lane;
  }
}

}  // namespace
}  // namespace smsflow::kafka
