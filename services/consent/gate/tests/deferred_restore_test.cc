// Held requests survive Redis losing its data: every hold is journaled on
// sms.outbound.deferred.v1 (and every release tombstoned) before Redis is
// touched; after a FLUSHALL the releaser claims nothing until the
// DeferredGuardian has restored exactly the held set from the journal, and
// then releases it when due. A flush during a restore starts it again; the
// last record per key wins; unreadable records go to the DLQ.
#include "services/consent/gate/deferred_restore.h"

#include <map>
#include <set>

#include "services/consent/gate/deferred_guardian.h"
#include "services/consent/gate/gate_records.h"
#include "services/consent/gate/tests/gate_fixture.h"

namespace smsflow::consent::gate::testing {
namespace {

using smsflow::testing::WaitFor;

const absl::Time kSeven = At("America/New_York", 2024, 6, 12, 7, 0);

absl::Time NewYork(int hour, int minute) {
  return At("America/New_York", 2024, 6, 12, hour, minute);
}

v1::ConsentState Consented(const std::string& to) {
  v1::ConsentState s = State(to);
  Grant(s, v1::CONSENT_KIND_EXPRESS_WRITTEN, kSeven - absl::Hours(48), "ev-written");
  Grant(s, v1::CONSENT_KIND_EXPRESS, kSeven - absl::Hours(48), "ev-express");
  return s;
}

class DeferredRestoreTest : public GateFixture {
 protected:
  void SetUp() override {
    GateFixture::SetUp();
    clock_.Set(kSeven);
    guardian_metrics_ = std::make_unique<DeferredGuardianMetrics>(registry_);
  }
  void TearDown() override {
    if (guardian_ != nullptr) guardian_->Stop();
    GateFixture::TearDown();
  }

  // Redis loses everything; the consent view comes back at once (as its own
  // guardian restores it), so only the held requests are missing.
  void FlushAllButTheView() {
    Redis({"FLUSHALL"});
    MarkViewReady();
    Seed(Consented(kNewYork));
  }

  void Redis(const redis::Args& command) {
    auto lease = pool_->Acquire();
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE((*lease)->Command(command).ok());
  }

  void StartGuardian(std::chrono::milliseconds claim_lease = std::chrono::seconds(5)) {
    DeferredGuardianOptions o;
    o.brokers = kafka_.bootstrap();
    o.check_interval = std::chrono::milliseconds(100);
    o.initial_backoff = std::chrono::milliseconds(100);
    o.claim_lease = claim_lease;
    o.restore_timeout = std::chrono::seconds(60);
    o.consumer_extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}};
    guardian_ = std::make_unique<DeferredGuardian>(o, *deferred_, *producer_, *guardian_metrics_);
    guardian_->Start();
  }

  bool Ready() {
    auto r = deferred_->marker().IsReady();
    return r.ok() && *r;
  }

  // What the store holds: message id -> entry.
  std::map<std::string, HeldMessage> Held() {
    auto held = deferred_->Peek(1000);
    EXPECT_TRUE(held.ok()) << held.status();
    std::map<std::string, HeldMessage> out;
    if (held.ok()) {
      for (HeldMessage& m : *held) out[m.request.message_id()] = std::move(m);
    }
    return out;
  }

  double Metric(const std::string& name, const std::string& outcome = "") {
    double total = 0;
    for (const auto& f : registry_.Collect()) {
      if (f.name != name) continue;
      for (const auto& m : f.metric) {
        bool match = outcome.empty();
        for (const auto& l : m.label) match = match || l.value == outcome;
        if (match) total += m.counter.value + m.gauge.value;
      }
    }
    return total;
  }

  // A request held until `release` (a send_time), published and SCHEDULED.
  v1::OutboundRequest HoldUntil(absl::Time release) {
    auto r = Request(v1::CATEGORY_TRANSACTIONAL, kNewYork, kSeven);
    SetTime(release, r.mutable_send_time());
    Publish(r);
    EXPECT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_SCHEDULED);
    return r;
  }

  std::unique_ptr<DeferredGuardianMetrics> guardian_metrics_;
  std::unique_ptr<DeferredGuardian> guardian_;
};

TEST_F(DeferredRestoreTest, LostHeldRequestsAreRestoredFromTheJournalThenReleased) {
  Seed(Consented(kNewYork));
  // Three marketing requests held for quiet hours (until 08:00), three
  // transactional ones scheduled for 07:30, 07:45 and 09:00.
  std::vector<v1::OutboundRequest> quiet;
  for (int i = 0; i < 3; ++i) {
    quiet.push_back(Request(v1::CATEGORY_MARKETING, kNewYork, kSeven));
    Publish(quiet.back());
  }
  for (const auto& r : quiet) ASSERT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_SCHEDULED);
  const auto early = HoldUntil(NewYork(7, 30));
  const auto later = HoldUntil(NewYork(7, 45));
  const auto nine = HoldUntil(NewYork(9, 0));

  // Each hold is on the journal, keyed by message id, as held.
  ASSERT_TRUE(WaitFor([&] { return Journal(nine.message_id()).size() == 1; }));
  const kafka::Message record = Journal(quiet[0].message_id()).at(0);
  EXPECT_EQ(*record.Header(kafka::kTypeHeader), "smsflow.v1.DeferredRequest");
  v1::DeferredRequest journaled;
  ASSERT_TRUE(journaled.ParseFromString(record.value));
  EXPECT_EQ(journaled.request().message_id(), quiet[0].message_id());
  EXPECT_EQ(journaled.release_time().seconds(), absl::ToUnixSeconds(NewYork(8, 0)));
  EXPECT_TRUE(journaled.quiet_hours());

  // Two come due and are released: each gets a tombstone.
  clock_.Set(NewYork(7, 45));
  EXPECT_EQ(*releaser_->RunOnce(), 2);
  for (const auto& r : {early, later}) {
    ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_QUEUED);
    ASSERT_TRUE(WaitFor([&] { return Journal(r.message_id()).size() == 2; }));
    const kafka::Message tombstone = Journal(r.message_id())[1];
    EXPECT_TRUE(tombstone.value.empty());
    EXPECT_EQ(*tombstone.Header(kafka::kTypeHeader), "smsflow.v1.DeferredRequest");
  }

  FlushAllButTheView();
  // Nothing is claimed from a store that may be incomplete...
  auto claimed = releaser_->RunOnce();
  EXPECT_EQ(claimed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(claimed.status().message().find("deferred store: not ready"), std::string::npos)
      << claimed.status();
  EXPECT_EQ(*deferred_->Size(), 0);
  // ...while new holds go on (journaled first, as always).
  const auto meanwhile = HoldUntil(NewYork(8, 30));
  EXPECT_EQ(Held().size(), 1u);

  StartGuardian();
  ASSERT_TRUE(WaitFor([&] { return guardian_->restores() >= 1; }, std::chrono::seconds(60)));
  EXPECT_TRUE(Ready());
  EXPECT_EQ(Metric("smsflow_consent_deferred_ready"), 1.0);
  EXPECT_GE(Metric("smsflow_consent_deferred_restores_total", "restored"), 1.0);

  // Exactly the ones not yet released, with their release times and flags.
  const auto held = Held();
  ASSERT_EQ(held.size(), 5u);
  for (const auto& r : quiet) {
    ASSERT_TRUE(held.contains(r.message_id()));
    EXPECT_EQ(held.at(r.message_id()).release_time, NewYork(8, 0));
    EXPECT_TRUE(held.at(r.message_id()).quiet_hours);
    EXPECT_EQ(held.at(r.message_id()).request.body(), r.body());
  }
  for (const auto& [r, at] :
       {std::pair{nine, NewYork(9, 0)}, std::pair{meanwhile, NewYork(8, 30)}}) {
    ASSERT_TRUE(held.contains(r.message_id()));
    EXPECT_EQ(held.at(r.message_id()).release_time, at);
    EXPECT_FALSE(held.at(r.message_id()).quiet_hours);
  }

  // Released once due; the two released before the flush are not repeated.
  clock_.Set(NewYork(9, 0));
  EXPECT_EQ(*releaser_->RunOnce(), 5);
  for (const auto& r : quiet) {
    ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_QUEUED);
    ASSERT_TRUE(WaitFor([&] { return Approved(r.message_id()).size() == 1; }));
    EXPECT_TRUE(Approved(r.message_id())[0].second.quiet_hours_deferred());
  }
  for (const auto& r : {nine, meanwhile}) {
    ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_QUEUED);
    ASSERT_TRUE(WaitFor([&] { return Approved(r.message_id()).size() == 1; }));
  }
  EXPECT_EQ(*deferred_->Size(), 0);
  EXPECT_EQ(Approved(early.message_id()).size(), 1u);
  EXPECT_EQ(Approved(later.message_id()).size(), 1u);
  EXPECT_EQ(Events(early.message_id()).size(), 2u);  // SCHEDULED, QUEUED
}

TEST_F(DeferredRestoreTest, AMessageHeldAgainIsJournaledAgainNotTombstoned) {
  Seed(Consented(kNewYork));
  const auto r = Request(v1::CATEGORY_MARKETING, kNewYork, kSeven);
  Publish(r);
  ASSERT_EQ(WaitStatus(r.message_id()), v1::MESSAGE_STATUS_SCHEDULED);
  clock_.Set(NewYork(21, 30));  // due since 08:00, but the window closed at 21:00
  EXPECT_EQ(*releaser_->RunOnce(), 1);
  ASSERT_EQ(WaitStatus(r.message_id(), 2), v1::MESSAGE_STATUS_SCHEDULED);
  ASSERT_TRUE(WaitFor([&] { return Journal(r.message_id()).size() == 2; }));
  const std::string value = Journal(r.message_id())[1].value;
  ASSERT_FALSE(value.empty());  // a hold, not a tombstone
  v1::DeferredRequest again;
  ASSERT_TRUE(again.ParseFromString(value));
  EXPECT_EQ(again.release_time().seconds(),
            absl::ToUnixSeconds(At("America/New_York", 2024, 6, 13, 8, 0)));
  EXPECT_TRUE(again.quiet_hours());
  EXPECT_EQ(Held().at(r.message_id()).release_time, At("America/New_York", 2024, 6, 13, 8, 0));
}

TEST_F(DeferredRestoreTest, FlushDuringARestoreStartsItAgain) {
  Seed(Consented(kNewYork));
  const auto a = HoldUntil(NewYork(9, 0));
  const auto b = HoldUntil(NewYork(10, 0));
  ASSERT_TRUE(WaitFor([&] { return Journal(b.message_id()).size() == 1; }));
  FlushAllButTheView();
  // A short lease: the restore looks at its claim every 200 ms.
  StartGuardian(std::chrono::milliseconds(600));
  ASSERT_TRUE(WaitFor([&] {
    auto lease = pool_->Acquire();
    if (!lease.ok()) return false;
    auto claim = (*lease)->Command({"GET", deferred_->marker().claim_key()});
    return claim.ok() && claim->IsString();
  }));
  FlushAllButTheView();  // while the restore replays (it is still joining its group)
  ASSERT_TRUE(WaitFor([&] { return Ready(); }, std::chrono::seconds(60)));
  // It started again: the claimed attempt was aborted (or, had it finished
  // first, the flush took the marker and a second restore ran).
  EXPECT_GE(Metric("smsflow_consent_deferred_restores_total", "aborted") +
                Metric("smsflow_consent_deferred_restores_total", "restored"),
            2.0);
  const auto held = Held();
  ASSERT_EQ(held.size(), 2u);
  EXPECT_EQ(held.at(a.message_id()).release_time, NewYork(9, 0));
  EXPECT_EQ(held.at(b.message_id()).release_time, NewYork(10, 0));
}

TEST_F(DeferredRestoreTest, TheLastRecordPerKeyWinsAndUnreadableOnesAreParked) {
  auto hold = [&](const v1::OutboundRequest& r, absl::Time at, bool quiet) {
    return DeferredRecord(r, at, quiet);
  };
  const auto released = Request(v1::CATEGORY_MARKETING);  // hold, tombstone
  const auto moved = Request(v1::CATEGORY_MARKETING);     // hold, hold again later
  const auto back = Request(v1::CATEGORY_MARKETING);      // hold, tombstone, hold
  const auto damaged = Request(v1::CATEGORY_MARKETING);   // hold, unreadable record
  std::vector<kafka::Record> journal = {
      hold(released, NewYork(8, 0), true),   hold(moved, NewYork(8, 0), true),
      hold(back, NewYork(8, 0), true),       hold(damaged, NewYork(11, 0), false),
      ReleasedRecord(released.message_id()), hold(moved, NewYork(9, 0), false),
      ReleasedRecord(back.message_id()),     ReleasedRecord("never-held"),
      hold(back, NewYork(10, 0), true)};
  kafka::Record truncated = hold(damaged, NewYork(12, 0), false);
  truncated.value = std::string(
      "\x0a\x05"
      "ab",
      4);  // request: 5 bytes announced, 2 there
  journal.push_back(truncated);
  kafka::Record foreign = ReleasedRecord(moved.message_id());
  foreign.headers = {{std::string(kafka::kTypeHeader), "smsflow.v1.DeliveryEvent"}};
  journal.push_back(foreign);
  for (kafka::Record& r : journal) ASSERT_TRUE(producer_->SendSync(std::move(r)).ok());
  // Redis still has a hold whose tombstone it never saw: the journal wins.
  ASSERT_TRUE(deferred_->HoldAll({{released, NewYork(8, 0), true}}).ok());
  Redis({"DEL", deferred_->marker().ready_key()});

  auto report = RestoreDeferred(
      {.brokers = kafka_.bootstrap(),
       .consumer_extra = {{"session.timeout.ms", "6000"}, {"heartbeat.interval.ms", "500"}}},
      *deferred_, *producer_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->holds, 6);
  EXPECT_EQ(report->releases, 3);
  EXPECT_EQ(report->unreadable, 2);
  EXPECT_TRUE(Ready());

  const auto held = Held();
  ASSERT_EQ(held.size(), 3u);
  EXPECT_EQ(held.at(moved.message_id()).release_time, NewYork(9, 0));
  EXPECT_FALSE(held.at(moved.message_id()).quiet_hours);
  EXPECT_EQ(held.at(back.message_id()).release_time, NewYork(10, 0));
  EXPECT_TRUE(held.at(back.message_id()).quiet_hours);
  EXPECT_EQ(held.at(damaged.message_id()).release_time, NewYork(11, 0));  // earlier state stands

  smsflow::testing::TopicReader dlq(kafka_.bootstrap(),
                                    {kafka::topics::Dlq(kafka::topics::kOutboundDeferred)});
  const auto parked = dlq.WaitForCount(2);
  ASSERT_EQ(parked.size(), 2u);
  std::set<std::string> reasons;
  for (const auto& m : parked) reasons.insert(*m.Header(kafka::kDlqReasonHeader));
  EXPECT_TRUE(reasons.contains("value: not a smsflow.v1.DeferredRequest"));
  EXPECT_TRUE(
      reasons.contains("smsflow-type: smsflow.v1.DeliveryEvent is not smsflow.v1.DeferredRequest"));
}

TEST_F(DeferredRestoreTest, AFreshInstallIsReadyAtOnce) {
  Redis({"DEL", deferred_->marker().ready_key()});
  EXPECT_EQ(releaser_->RunOnce().status().code(), absl::StatusCode::kUnavailable);
  StartGuardian();
  // An empty journal: no group to join, nothing to replay.
  ASSERT_TRUE(WaitFor([&] { return guardian_->restores() == 1; }));
  EXPECT_TRUE(Ready());
  EXPECT_EQ(*releaser_->RunOnce(), 0);
}

}  // namespace
}  // namespace smsflow::consent::gate::testing
