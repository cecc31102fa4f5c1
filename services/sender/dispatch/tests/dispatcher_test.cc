// The dispatcher end to end on devkafka + redis-server + the sim carrier.
#include <algorithm>
#include <set>

#include "lib/log/log.h"
#include "services/sender/dispatch/tests/dispatch_fixture.h"

namespace smsflow::sender {
namespace {

using testing::WaitFor;

std::vector<std::string> Ids(const std::vector<v1::ApprovedMessage>& ms) {
  std::vector<std::string> ids;
  for (const auto& m : ms) ids.push_back(m.request().message_id());
  return ids;
}

TEST_F(DispatchFixture, BatchOfThousandIsSentAndDeliveredOncePerMessage) {
  SimCarrierOptions sim;
  sim.window = 200;
  StartDispatcher("d1000", sim);
  ASSERT_TRUE(WaitAssigned());
  std::vector<v1::ApprovedMessage> ms;
  for (int i = 0; i < 1000; ++i) {
    const v1::Lane lane = i % 10 == 0 ? v1::LANE_OTP : v1::LANE_TRANSACTIONAL;
    ms.push_back(Approved(kFast, i, lane));
  }
  const absl::Time start = absl::Now();
  Publish(ms);
  ASSERT_TRUE(WaitFor([&] { return network_.AcceptedCount() >= 1000; }, std::chrono::seconds(60)))
      << network_.AcceptedCount();
  const absl::Duration took = absl::Now() - start;
  const auto ids = Ids(ms);
  ASSERT_TRUE(WaitFor([&] { return AllHave(ids, v1::MESSAGE_STATUS_DELIVERED); },
                      std::chrono::seconds(60)));
  ASSERT_TRUE(AllHave(ids, v1::MESSAGE_STATUS_SENT));
  ASSERT_TRUE(AllHave(ids, v1::MESSAGE_STATUS_SENDING));
  for (const auto& id : ids) EXPECT_EQ(network_.AcceptedFor(id).size(), 1u) << id;
  auto events = Events();
  const v1::DeliveryEvent* sent = nullptr;
  for (const auto& e : events[ids[0]]) {
    if (e.status() == v1::MESSAGE_STATUS_SENT) sent = &e;
  }
  ASSERT_NE(sent, nullptr);
  EXPECT_EQ(sent->provider(), "sim");
  EXPECT_FALSE(sent->provider_message_id().empty());
  EXPECT_EQ(sent->reporter(), "sender-dispatcher");
  EXPECT_EQ(sent->from(), kFast);
  // The provider id index lets ingest match receipts from real providers.
  auto entry = index_->LookupAll({{"sim", sent->provider_message_id()}});
  ASSERT_TRUE(entry.ok());
  ASSERT_TRUE((*entry)[0].has_value());
  EXPECT_EQ((*entry)[0]->message_id, ids[0]);
  {
    auto subs = network_.Accepted();
    std::cerr << "first carrier accept +" << absl::FormatDuration(subs.front().time - start)
              << " (consumer fetch), last +" << absl::FormatDuration(subs.back().time - start)
              << "\n";
  }
  std::cerr << "dispatched 1000 messages (publish -> last carrier accept) in "
            << absl::FormatDuration(took) << "\n";
}

TEST_F(DispatchFixture, RateLimitHoldsAcrossTwoDispatchersSharingRedis) {
  // kSlow: 50 segments/s, burst 50, in one Redis bucket both replicas share.
  SimCarrierOptions a, b;
  a.connection = b.connection = "sim";
  a.seed = 1;
  b.seed = 2;
  StartDispatcher("shared", a);
  ASSERT_TRUE(WaitAssigned(16));
  StartDispatcher("shared", b);
  ASSERT_TRUE(WaitAssigned(32));  // rebalanced: 8 lane partitions each
  std::vector<v1::ApprovedMessage> ms;
  for (int i = 0; i < 300; ++i) ms.push_back(Approved(kSlow, i, v1::LANE_TRANSACTIONAL));
  Publish(ms);
  ASSERT_TRUE(WaitFor([&] { return network_.AcceptedCount() >= 300; }, std::chrono::seconds(60)));
  auto subs = network_.Accepted();
  ASSERT_EQ(subs.size(), 300u);
  std::sort(subs.begin(), subs.end(), [](auto& x, auto& y) { return x.time < y.time; });
  // From the carrier's side: in every interval [t_i, t_j] the submissions are
  // at most burst + rate * (t_j - t_i), plus a slack of a few for the
  // (grant -> carrier receipt) latency that differs between messages.
  const double rate = 50, burst = 50, slack = 3;
  size_t worst_excess_at = 0;
  double worst = -1e9;
  for (size_t i = 0; i < subs.size(); ++i) {
    for (size_t j = i; j < subs.size(); ++j) {
      const double span = absl::ToDoubleSeconds(subs[j].time - subs[i].time);
      const double excess = static_cast<double>(j - i + 1) - (burst + rate * span);
      if (excess > worst) {
        worst = excess;
        worst_excess_at = i;
      }
    }
  }
  EXPECT_LE(worst, slack) << "at submission " << worst_excess_at;
  const double elapsed = absl::ToDoubleSeconds(subs.back().time - subs.front().time);
  EXPECT_LE(300.0, burst + rate * elapsed + slack);
  std::set<std::string> ids;
  for (const auto& s : subs) ids.insert(s.message_id);
  EXPECT_EQ(ids.size(), 300u);
  EXPECT_GT(metrics_->ratelimit_waits().Value(), 0);
}

TEST_F(DispatchFixture, OtpOvertakesAMarketingBacklog) {
  StartDispatcher("prio");
  ASSERT_TRUE(WaitAssigned());
  std::vector<v1::ApprovedMessage> marketing;
  for (int i = 0; i < 500; ++i) {
    marketing.push_back(Approved(kSlow, i, v1::LANE_MARKETING, v1::CATEGORY_MARKETING));
  }
  Publish(marketing);
  // The backlog is being worked through at 50/s when the code arrives.
  ASSERT_TRUE(WaitFor([&] { return network_.AcceptedCount() >= 60; }));
  v1::ApprovedMessage otp = Approved(kSlow, 999, v1::LANE_OTP, v1::CATEGORY_OTP);
  Publish({otp});
  ASSERT_TRUE(WaitFor([&] { return !network_.AcceptedFor(otp.request().message_id()).empty(); }));
  auto subs = network_.Accepted();
  size_t position = 0;
  while (subs[position].message_id != otp.request().message_id()) ++position;
  std::cerr << "otp submitted after " << position << " of 500 marketing\n";
  EXPECT_LT(position, 250u);  // before most of the backlog
}

TEST_F(DispatchFixture, LastMomentChecksBlockOptedOutCanceledAndExpired) {
  v1::ApprovedMessage ok = Approved(kFast, 1, v1::LANE_TRANSACTIONAL);
  v1::ApprovedMessage opted = Approved(kFast, 2, v1::LANE_TRANSACTIONAL);
  v1::ApprovedMessage compliance =
      Approved(kFast, 2, v1::LANE_TRANSACTIONAL, v1::CATEGORY_COMPLIANCE);
  v1::ApprovedMessage canceled = Approved(kFast, 3, v1::LANE_MARKETING, v1::CATEGORY_MARKETING);
  canceled.mutable_request()->set_batch_id("batch-1");
  v1::ApprovedMessage expired = Approved(kFast, 4, v1::LANE_CONVERSATIONAL);
  *expired.mutable_request()->mutable_expire_time() = ToProtoTime(absl::Now() - absl::Seconds(1));
  // STOP recorded after the gate approved: the view says opted out.
  consentview::VersionedState st;
  st.state.set_tenant_id("acme");
  st.state.set_sender_scope("main");
  st.state.set_recipient(opted.request().to());
  st.state.set_opted_out(true);
  st.version = 7;
  ASSERT_TRUE(consent_->PutAll({st}).ok());
  ASSERT_TRUE(cancellations_->CancelBatch("batch-1").ok());

  StartDispatcher("checks");
  ASSERT_TRUE(WaitAssigned());
  Publish({ok, opted, compliance, canceled, expired});
  const std::vector<std::string> ids = Ids({ok, opted, compliance, canceled, expired});
  ASSERT_TRUE(WaitFor([&] {
    auto ev = Events();
    return Has(ev[ids[0]], v1::MESSAGE_STATUS_SENT) &&
           Has(ev[ids[1]], v1::MESSAGE_STATUS_REJECTED) &&
           Has(ev[ids[2]], v1::MESSAGE_STATUS_SENT) &&
           Has(ev[ids[3]], v1::MESSAGE_STATUS_CANCELED) &&
           Has(ev[ids[4]], v1::MESSAGE_STATUS_EXPIRED);
  }));
  auto ev = Events();
  EXPECT_EQ(ev[ids[1]].back().reason_code(), v1::REASON_CODE_RECIPIENT_OPTED_OUT);
  EXPECT_EQ(ev[ids[3]].back().reason_code(), v1::REASON_CODE_CANCELED_BY_REQUEST);
  EXPECT_EQ(ev[ids[4]].back().reason_code(), v1::REASON_CODE_VALIDITY_EXPIRED);
  EXPECT_EQ(network_.AcceptedFor(ids[0]).size(), 1u);
  EXPECT_EQ(network_.AcceptedFor(ids[2]).size(), 1u);  // the opt-out confirmation still goes
  EXPECT_TRUE(network_.AcceptedFor(ids[1]).empty());
  EXPECT_TRUE(network_.AcceptedFor(ids[3]).empty());
  EXPECT_TRUE(network_.AcceptedFor(ids[4]).empty());
  EXPECT_EQ(network_.Submissions().size(), 2u);
}

TEST_F(DispatchFixture, TransientErrorsRetryPermanentErrorsFail) {
  SimCarrierOptions sim;
  sim.throttle_ratio = 0.3;
  sim.failure_ratio = 0.2;
  DispatcherOptions opts;
  opts.retry.initial_backoff = absl::Milliseconds(10);
  opts.retry.max_backoff = absl::Milliseconds(100);
  opts.retry.max_attempts = 20;
  opts.throttle_pause = absl::Milliseconds(20);  // throttles pause the connection briefly
  StartDispatcher("errors", sim, opts);
  ASSERT_TRUE(WaitAssigned());
  std::vector<v1::ApprovedMessage> ms;
  for (int i = 0; i < 100; ++i) ms.push_back(Approved(kFast, i, v1::LANE_TRANSACTIONAL));
  Publish(ms);
  const auto ids = Ids(ms);
  auto final_for_all = [&] {
    auto ev = Events();
    for (const auto& id : ids) {
      if (!Has(ev[id], v1::MESSAGE_STATUS_SENT) && !Has(ev[id], v1::MESSAGE_STATUS_FAILED)) {
        return false;
      }
    }
    return true;
  };
  ASSERT_TRUE(WaitFor(final_for_all));
  auto ev = Events();
  int failed = 0, retried = 0;
  for (const auto& id : ids) {
    const size_t accepted = network_.AcceptedFor(id).size();
    if (Has(ev[id], v1::MESSAGE_STATUS_FAILED)) {
      ++failed;
      EXPECT_EQ(accepted, 0u);
      const auto& f = ev[id].back();
      EXPECT_EQ(f.reason_code(), v1::REASON_CODE_CARRIER_PERMANENT_ERROR);
      EXPECT_EQ(f.carrier_error_code(), "0x0000000B");
    } else {
      EXPECT_EQ(accepted, 1u);
    }
    for (const auto& e : ev[id]) {
      if (e.status() == v1::MESSAGE_STATUS_SENDING && e.has_next_attempt_time()) ++retried;
    }
  }
  EXPECT_GT(failed, 0);
  EXPECT_LT(failed, 100);
  EXPECT_GT(retried, 0);
}

// A carrier's "slow down" pauses the whole connection for every replica:
// the pause lives in Redis, where any dispatcher's next grant finds it.
TEST_F(DispatchFixture, ThrottlingPausesTheCarrierConnectionForEveryReplica) {
  SimCarrierOptions sim;
  sim.throttle_ratio = 1.0;
  DispatcherOptions opts;
  opts.retry.initial_backoff = absl::Milliseconds(10);
  opts.retry.max_backoff = absl::Milliseconds(20);
  opts.throttle_pause = absl::Seconds(60);
  StartDispatcher("throttled", sim, opts);
  ASSERT_TRUE(WaitAssigned());
  std::vector<v1::ApprovedMessage> ms;
  for (int i = 0; i < 20; ++i) ms.push_back(Approved(kFast, i, v1::LANE_TRANSACTIONAL));
  Publish(ms);
  const LimitRequest limits = policy_->For("acme", kFast);
  ASSERT_EQ(limits.pause_keys.size(), 1u);
  auto pause_left_ms = [&]() -> int64_t {
    auto lease = pool_->Acquire();
    if (!lease.ok()) return -3;
    auto r = (*lease)->Command({"PTTL", limits.pause_keys[0]});
    return r.ok() ? r->integer : -3;
  };
  ASSERT_TRUE(WaitFor([&] { return pause_left_ms() > 0; })) << pause_left_ms();
  EXPECT_GT(pause_left_ms(), 30000);
  // What another replica's limiter now answers for this connection.
  auto g = limiter_->AcquireAll({[&] {
    LimitRequest r = limits;
    r.segments = {1};
    return r;
  }()});
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)[0].granted, 0);
  EXPECT_GT((*g)[0].wait_ms, 30000);
  // Retries 10-20 ms apart would resubmit at once without the pause.
  EXPECT_LE(network_.Submissions().size(), ms.size());
  double pauses = 0;
  for (const auto& f : registry_.Collect()) {
    if (f.name == "smsflow_sender_carrier_pauses_total") pauses = f.metric[0].counter.value;
  }
  EXPECT_GE(pauses, 1);
}

}  // namespace
}  // namespace smsflow::sender
