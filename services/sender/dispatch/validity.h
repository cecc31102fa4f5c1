#pragma once
// Validity of an approved message at a given instant: pure, no I/O.
//
//   expire_time passed                 -> expired ("validity period ended")
//   window_end_time passed             -> expired ("sending window ended"):
//       the gate sets window_end_time only for quiet-hours categories; the
//       dispatcher does not re-defer to the next window (that would need the
//       gate's quiet-hours rules here), so a message that missed its window
//       ends EXPIRED with REASON_CODE_VALIDITY_EXPIRED and the requester may
//       send it again.
//   send_time in the future            -> not yet (hold until send_time)
//   otherwise                          -> ready

#include <string>

#include "absl/time/time.h"
#include "smsflow/v1/outbound.pb.h"

namespace smsflow::sender {

struct Validity {
  enum class State { kReady, kNotYet, kExpired };
  State state = State::kReady;
  absl::Time not_before;    // for kNotYet
  std::string description;  // for kExpired
};

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToProtoTime(absl::Time t);

// InfiniteFuture() when the request has no expire_time (never produced by
// smsflow requesters, but tolerated).
absl::Time ExpireTimeOf(const v1::ApprovedMessage& message);

Validity CheckValidity(const v1::ApprovedMessage& message, absl::Time now);

}  // namespace smsflow::sender
