// Crashes and outages: no duplicate carrier submission, no send without a
// rate-limit grant.
#include <set>

#include "services/sender/dispatch/tests/dispatch_fixture.h"

namespace smsflow::sender {
namespace {

using testing::WaitFor;

TEST_F(DispatchFixture, CrashBetweenConsumeAndCommitCausesNoDuplicateSubmission) {
  SimCarrierOptions sim;
  sim.min_latency = absl::Milliseconds(20);
  sim.max_latency = absl::Milliseconds(60);
  Dispatcher* a = StartDispatcher("crash", sim);
  ASSERT_TRUE(WaitAssigned());
  std::vector<v1::ApprovedMessage> ms;
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    ms.push_back(Approved(kSlow, i, v1::LANE_TRANSACTIONAL));  // 50/s: takes ~5 s
    ids.push_back(ms.back().request().message_id());
  }
  Publish(ms);
  ASSERT_TRUE(WaitFor([&] { return network_.AcceptedCount() >= 60; }));
  a->CrashForTest();  // mid-batch: some submitted and unanswered, nothing of the batch committed
  const size_t before = network_.AcceptedCount();
  ASSERT_LT(before, 300u);
  StartDispatcher("crash", sim);  // takes over the partitions, redelivered from the last commit
  ASSERT_TRUE(WaitFor([&] { return network_.AcceptedCount() >= 300; }, std::chrono::seconds(90)));
  ASSERT_TRUE(
      WaitFor([&] { return AllHave(ids, v1::MESSAGE_STATUS_SENT); }, std::chrono::seconds(60)));
  for (const auto& id : ids) EXPECT_EQ(network_.AcceptedFor(id).size(), 1u) << id;
  EXPECT_EQ(network_.AcceptedCount(), 300u);
  std::cerr << "accepted before crash: " << before << "\n";
}

TEST_F(DispatchFixture, RedisOutageHoldsMessagesThenSendsThem) {
  StartDispatcher("outage");
  ASSERT_TRUE(WaitAssigned());
  redis_.Stop();
  std::vector<v1::ApprovedMessage> ms;
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    ms.push_back(Approved(kFast, i, v1::LANE_OTP, v1::CATEGORY_OTP));
    ids.push_back(ms.back().request().message_id());
  }
  Publish(ms);
  auto redis_errors = [&] {
    double total = 0;
    for (const auto& f : registry_.Collect()) {
      if (f.name != "smsflow_sender_dispatch_redis_errors_total") continue;
      for (const auto& m : f.metric) total += m.counter.value;
    }
    return total;
  };
  // The dispatcher has tried (and waited) several times without Redis...
  ASSERT_TRUE(WaitFor([&] { return redis_errors() >= 3; }));
  EXPECT_EQ(network_.Submissions().size(), 0u);  // ...and sent nothing it could not check
  redis_.Start();
  ASSERT_TRUE(WaitFor([&] { return network_.AcceptedCount() >= 20; }));
  ASSERT_TRUE(WaitFor([&] { return AllHave(ids, v1::MESSAGE_STATUS_SENT); }));
  for (const auto& id : ids) EXPECT_EQ(network_.AcceptedFor(id).size(), 1u);
}

}  // namespace
}  // namespace smsflow::sender
