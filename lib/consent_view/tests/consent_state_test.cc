#include "lib/consent_view/consent_state.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

namespace smsflow::consentview {
namespace {

using google::protobuf::util::TimeUtil;

v1::ConsentEvent Event(const std::string& id, v1::ConsentAction action,
                       v1::ConsentKind kind = v1::CONSENT_KIND_UNSPECIFIED, int64_t t = 1000) {
  v1::ConsentEvent e;
  e.set_event_id(id);
  e.set_tenant_id("acme");
  e.set_sender_scope("main");
  e.set_recipient("+14155550123");
  e.set_action(action);
  e.set_kind(kind);
  *e.mutable_record_time() = TimeUtil::SecondsToTimestamp(t);
  return e;
}

TEST(ConsentStateTest, OptOutKeepsGrantsSoOptInRestoresExactlyThem) {
  v1::ConsentState s;
  ApplyEvent(Event("e1", v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_EXPRESS_WRITTEN), &s);
  ApplyEvent(Event("e2", v1::CONSENT_ACTION_OPT_OUT), &s);
  EXPECT_TRUE(s.opted_out());
  EXPECT_EQ(s.opt_out_event_id(), "e2");
  ASSERT_EQ(s.grants_size(), 1);
  ApplyEvent(Event("e3", v1::CONSENT_ACTION_OPT_IN), &s);
  EXPECT_FALSE(s.opted_out());
  ASSERT_EQ(s.grants_size(), 1);
  EXPECT_EQ(s.grants(0).kind(), v1::CONSENT_KIND_EXPRESS_WRITTEN);
  EXPECT_EQ(s.grants(0).event_id(), "e1");
  EXPECT_EQ(s.last_event_id(), "e3");
}

TEST(ConsentStateTest, GrantReplacesSameKindAndRevokeRemoves) {
  v1::ConsentState s;
  ApplyEvent(Event("e1", v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_EXPRESS, 10), &s);
  ApplyEvent(Event("e2", v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_EXPRESS, 20), &s);
  ApplyEvent(Event("e3", v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_IMPLIED, 30), &s);
  ASSERT_EQ(s.grants_size(), 2);
  ApplyEvent(Event("e4", v1::CONSENT_ACTION_REVOKE, v1::CONSENT_KIND_EXPRESS), &s);
  ASSERT_EQ(s.grants_size(), 1);
  EXPECT_EQ(s.grants(0).kind(), v1::CONSENT_KIND_IMPLIED);
  ApplyEvent(Event("e5", v1::CONSENT_ACTION_REVOKE), &s);
  EXPECT_EQ(s.grants_size(), 0);
}

TEST(ConsentStateTest, HelpChangesNothingButIsTheLastEvent) {
  v1::ConsentState s;
  ApplyEvent(Event("e1", v1::CONSENT_ACTION_OPT_OUT), &s);
  ApplyEvent(Event("e2", v1::CONSENT_ACTION_HELP), &s);
  EXPECT_TRUE(s.opted_out());
  EXPECT_EQ(s.last_event_id(), "e2");
}

TEST(ConsentStateTest, FindGrantIgnoresExpiredGrants) {
  v1::ConsentState s;
  auto e = Event("e1", v1::CONSENT_ACTION_GRANT, v1::CONSENT_KIND_IMPLIED, 100);
  *e.mutable_expire_time() = TimeUtil::SecondsToTimestamp(200);
  ApplyEvent(e, &s);
  EXPECT_NE(FindGrant(s, v1::CONSENT_KIND_IMPLIED, absl::FromUnixSeconds(199)), nullptr);
  EXPECT_EQ(FindGrant(s, v1::CONSENT_KIND_IMPLIED, absl::FromUnixSeconds(200)), nullptr);
  EXPECT_EQ(FindGrant(s, v1::CONSENT_KIND_EXPRESS, absl::FromUnixSeconds(150)), nullptr);
}

TEST(ConsentStateTest, RecordKeyKeepsAllScopesOfARecipientTogether) {
  auto e = Event("e1", v1::CONSENT_ACTION_OPT_OUT);
  EXPECT_EQ(RecordKeyOf(e), "acme|+14155550123");
  EXPECT_EQ(KeyOf(e), (ConsentKey{"acme", "main", "+14155550123"}));
}

}  // namespace
}  // namespace smsflow::consentview
