// The journal of held requests: what the gate writes (DeferredRecord,
// ReleasedRecord) is what a restore reads back (ParseJournalRecord), and a
// record it cannot trust is refused with the field at fault.
#include <gtest/gtest.h>

#include "lib/kafka/topics.h"
#include "services/consent/gate/deferred_restore.h"
#include "services/consent/gate/gate_records.h"
#include "services/consent/gate/tests/gate_test_util.h"

namespace smsflow::consent::gate::testing {
namespace {

kafka::Message Consumed(const kafka::Record& r) {
  return {.topic = r.topic,
          .partition = 0,
          .offset = 0,
          .key = r.key,
          .value = r.value,
          .headers = r.headers};
}

TEST(DeferredJournal, AHoldReadsBackAsHeld) {
  const v1::OutboundRequest r = Request(v1::CATEGORY_MARKETING);
  const absl::Time at = Noon() + absl::Hours(3) + absl::Milliseconds(250);
  const kafka::Record record = DeferredRecord(r, at, true);
  EXPECT_EQ(record.topic, kafka::topics::kOutboundDeferred);
  EXPECT_EQ(record.key, r.message_id());
  auto entry = ParseJournalRecord(Consumed(record));
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->message_id, r.message_id());
  ASSERT_TRUE(entry->held.has_value());
  EXPECT_EQ(entry->held->release_time, at);
  EXPECT_TRUE(entry->held->quiet_hours);
  EXPECT_EQ(entry->held->request.SerializeAsString(), r.SerializeAsString());
}

TEST(DeferredJournal, ATombstoneReadsBackAsReleased) {
  const kafka::Record record = ReleasedRecord("0190a5b2-7c3e-7d4f-8a9b-000000000042");
  EXPECT_TRUE(record.value.empty());
  ASSERT_EQ(record.headers.size(), 1u);
  EXPECT_EQ(record.headers[0].value, "smsflow.v1.DeferredRequest");
  auto entry = ParseJournalRecord(Consumed(record));
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->message_id, "0190a5b2-7c3e-7d4f-8a9b-000000000042");
  EXPECT_FALSE(entry->held.has_value());
}

TEST(DeferredJournal, UntrustworthyRecordsNameTheFieldAtFault) {
  const v1::OutboundRequest r = Request(v1::CATEGORY_MARKETING);
  auto error = [](kafka::Message m) {
    auto entry = ParseJournalRecord(m);
    EXPECT_EQ(entry.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(entry.status().message());
  };
  kafka::Message keyless = Consumed(DeferredRecord(r, Noon(), false));
  keyless.key.clear();
  EXPECT_EQ(error(keyless), "key: required (the message id)");
  kafka::Message other_key = Consumed(DeferredRecord(r, Noon(), false));
  other_key.key = "another-id";
  EXPECT_EQ(error(other_key), "request.message_id: differs from the record key");
  kafka::Message garbage = Consumed(DeferredRecord(r, Noon(), false));
  garbage.value = "\xff";
  EXPECT_EQ(error(garbage), "value: not a smsflow.v1.DeferredRequest");
  v1::DeferredRequest no_time;
  *no_time.mutable_request() = r;
  kafka::Message untimed = Consumed(DeferredRecord(r, Noon(), false));
  untimed.value = no_time.SerializeAsString();
  EXPECT_EQ(error(untimed), "release_time: required");
  kafka::Message foreign = Consumed(ReleasedRecord(r.message_id()));
  foreign.headers[0].value = "smsflow.v1.OutboundRequest";
  EXPECT_EQ(error(foreign),
            "smsflow-type: smsflow.v1.OutboundRequest is not "
            "smsflow.v1.DeferredRequest");
}

}  // namespace
}  // namespace smsflow::consent::gate::testing
