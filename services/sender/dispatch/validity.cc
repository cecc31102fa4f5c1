#include "services/sender/dispatch/validity.h"

namespace smsflow::sender {

absl::Time ToAbslTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t ns = absl::ToUnixNanos(t);
  ts.set_seconds(ns / 1000000000);
  ts.set_nanos(static_cast<int32_t>(ns % 1000000000));
  if (ts.nanos() < 0) {
    ts.set_seconds(ts.seconds() - 1);
    ts.set_nanos(ts.nanos() + 1000000000);
  }
  return ts;
}

absl::Time ExpireTimeOf(const v1::ApprovedMessage& message) {
  return message.request().has_expire_time() ? ToAbslTime(message.request().expire_time())
                                             : absl::InfiniteFuture();
}

Validity CheckValidity(const v1::ApprovedMessage& message, absl::Time now) {
  Validity v;
  if (now >= ExpireTimeOf(message)) {
    v.state = Validity::State::kExpired;
    v.description = "validity period ended before submission";
    return v;
  }
  if (message.has_window_end_time() && now >= ToAbslTime(message.window_end_time())) {
    v.state = Validity::State::kExpired;
    v.description = "allowed sending window ended before submission";
    return v;
  }
  if (message.request().has_send_time()) {
    const absl::Time send = ToAbslTime(message.request().send_time());
    if (send > now) {
      v.state = Validity::State::kNotYet;
      v.not_before = send;
    }
  }
  return v;
}

}  // namespace smsflow::sender
