#pragma once
// The rules that keep a message's tracked status monotonic while events
// arrive late, twice or out of order, and that turn per-status counts into
// batch progress. Pure functions; StatusStore's Redis script applies the same
// rule (ShouldReplace) atomically with the ranks computed here.

#include <cstdint>
#include <map>
#include <string>

#include "smsflow/v1/common.pb.h"
#include "smsflow/v1/sender_service.pb.h"

namespace smsflow::sender {

// Lifecycle order: ACCEPTED 1 < SCHEDULED 2 < QUEUED 3 < SENDING 4 < SENT 5 <
// every final status (10). UNSPECIFIED and unknown values rank 0 (ignored).
int StatusRank(v1::MessageStatus status);
// DELIVERED, UNDELIVERED, FAILED, CANCELED, EXPIRED, REJECTED.
bool IsFinal(v1::MessageStatus status);
// "delivered", "queued", ...: metric labels and logs.
std::string StatusLabel(v1::MessageStatus status);
// "recipient_opted_out", ...; "" for UNSPECIFIED.
std::string ReasonLabel(v1::ReasonCode reason);

struct TrackedStatus {
  int rank = 0;  // 0: nothing tracked yet
  bool final = false;
  int64_t updated_ms = 0;
};

// Whether an event with (rank, final, time) replaces what is tracked: never
// after a final status; never with a lower rank; at equal rank only a newer
// non-final event (a retry's SENDING with a new attempt, a new deferral).
bool ShouldReplace(const TrackedStatus& current, int rank, bool final, int64_t event_ms);

// Progress from per-status counts. `total` is the number of messages the
// batch accepted; done when the batch takes no more recipients (`open` false)
// and at least `total` messages are final.
v1::BatchProgress MakeProgress(int64_t total, const std::map<int, int64_t>& counts, bool open);

// Messages of a batch not submitted yet (ACCEPTED, SCHEDULED, QUEUED, or not
// seen by the tracker at all): what CancelBatch can still stop.
int64_t NotYetSubmitted(int64_t total, const std::map<int, int64_t>& counts);

// The lane a category travels in once approved.
v1::Lane LaneOf(v1::Category category);

}  // namespace smsflow::sender
