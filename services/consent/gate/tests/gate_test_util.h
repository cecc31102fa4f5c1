#pragma once
// Builders shared by the gate tests: requests, consent states, a decider
// with the shipped area-code table.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "services/consent/gate/gate_decider.h"
#include "smsflow/v1/consent.pb.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::consent::gate::testing {

inline constexpr char kNewYork[] = "+12125550123";  // 212: America/New_York, NY
inline constexpr char kMiami[] = "+13055550123";    // 305: America/New_York, FL
inline constexpr char kTulsa[] = "+19185550123";    // 918: America/Chicago, OK

inline absl::Time At(const std::string& zone, int y, int mo, int d, int h, int mi) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(zone, &tz)) << zone;
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), tz);
}
// Noon in New York on a plain weekday: inside every default window.
inline absl::Time Noon() { return At("America/New_York", 2024, 6, 12, 12, 0); }

inline void SetTime(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
  out->set_nanos(0);
}

inline int g_next_id = 0;

inline v1::OutboundRequest Request(v1::Category category, const std::string& to = kNewYork,
                                   absl::Time now = Noon(),
                                   absl::Duration validity = absl::Hours(72)) {
  v1::OutboundRequest r;
  char id[40];
  std::snprintf(id, sizeof id, "0190a5b2-7c3e-7d4f-8a9b-%012d", ++g_next_id);
  r.set_message_id(id);
  r.set_tenant_id("acme");
  r.set_sender_scope("main");
  r.set_from("+14155550100");
  r.set_to(to);
  r.set_body("hello");
  r.set_encoding(v1::ENCODING_GSM7);
  r.set_segments(1);
  r.set_category(category);
  r.set_origin(v1::OUTBOUND_ORIGIN_SENDER_API);
  SetTime(now, r.mutable_request_time());
  SetTime(now + validity, r.mutable_expire_time());
  if (category == v1::CATEGORY_COMPLIANCE) {
    r.set_origin(v1::OUTBOUND_ORIGIN_CONSENT_REPLY);
    r.set_consent_event_id(std::string("ev-") + id);
  }
  return r;
}

inline v1::ConsentState State(const std::string& to = kNewYork) {
  v1::ConsentState s;
  s.set_tenant_id("acme");
  s.set_sender_scope("main");
  s.set_recipient(to);
  return s;
}

inline v1::ConsentState& Grant(v1::ConsentState& s, v1::ConsentKind kind, absl::Time when,
                               const std::string& event_id = "") {
  v1::ConsentGrant* g = s.add_grants();
  g->set_kind(kind);
  SetTime(when, g->mutable_grant_time());
  g->set_event_id(event_id.empty() ? "grant-" + v1::ConsentKind_Name(kind) : event_id);
  return s;
}

inline v1::ConsentState& OptOut(v1::ConsentState& s, absl::Time when) {
  s.set_opted_out(true);
  SetTime(when, s.mutable_opt_out_time());
  s.set_opt_out_event_id("optout-1");
  return s;
}

inline std::unique_ptr<GateDecider> MakeDecider(GateConfig gate = {}) {
  auto d = GateDecider::Create(policy::PolicyConfig{}, std::move(gate), SMSFLOW_AREA_CODE_TABLE);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *std::move(d) : nullptr;
}

}  // namespace smsflow::consent::gate::testing
