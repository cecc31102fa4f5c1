// Kafka becomes unavailable while messages keep arriving: callers get
// UNAVAILABLE, and every message ingest acknowledged is on the topic after
// Kafka comes back. devkafka takes its brokers down without losing data.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "lib/kafka/topics.h"
#include "lib/testing/topic_reader.h"
#include "services/ingest/tests/ingest_fixture.h"
#include "smsflow/v1/inbound.pb.h"

namespace smsflow::ingest {
namespace {

class KafkaOutageTest : public IngestFixture {};

TEST_F(KafkaOutageTest, NothingAcknowledgedIsMissingAfterAnOutage) {
  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<int> unavailable{0};
  std::atomic<int> sent{0};
  std::atomic<bool> stop{false};
  std::thread sender([&] {
    for (int i = 0; !stop.load(); ++i) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
      v1::ReceiveMessageResponse resp;
      grpc::Status st =
          stub_->ReceiveMessage(&ctx,
                                Request("+14155550123", "+14155550100", "msg " + std::to_string(i),
                                        "SMo" + std::to_string(i)),
                                &resp);
      if (st.ok()) {
        std::lock_guard lock(mu);
        acknowledged.insert(resp.message_id());
      } else {
        ASSERT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
        ++unavailable;
      }
      ++sent;
    }
  });
  auto acked = [&] {
    std::lock_guard lock(mu);
    return acknowledged.size();
  };
  ASSERT_TRUE(testing::WaitFor([&] { return acked() >= 5; }));
  kafka_.TakeBrokersDown();
  ASSERT_TRUE(testing::WaitFor([&] { return unavailable.load() >= 1; }));
  kafka_.BringBrokersUp();
  const size_t after_outage = acked();
  ASSERT_TRUE(
      testing::WaitFor([&] { return acked() >= after_outage + 5; }, std::chrono::seconds(60)));
  stop = true;
  sender.join();

  testing::TopicReader reader(kafka_.bootstrap(), {std::string(kafka::topics::kInbound)});
  std::set<std::string> on_topic;
  testing::WaitFor([&] {
    for (const auto& m : reader.Messages()) {
      v1::InboundMessage msg;
      if (msg.ParseFromString(m.value)) on_topic.insert(msg.message_id());
    }
    return std::includes(on_topic.begin(), on_topic.end(), acknowledged.begin(),
                         acknowledged.end());
  });
  std::vector<std::string> missing;
  std::set_difference(acknowledged.begin(), acknowledged.end(), on_topic.begin(), on_topic.end(),
                      std::back_inserter(missing));
  EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged messages missing of "
                               << acknowledged.size();
  EXPECT_GE(unavailable.load(), 1);
}

}  // namespace
}  // namespace smsflow::ingest
