#pragma once
// Partition watermarks of a topic, for code that must know where a topic
// ends "now": a replay that stops at the end offsets it saw when it started
// (the consent view restore), or a tool that reports lag. One short-lived
// librdkafka client per call (no group, nothing consumed); blocking, callable
// from any thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace smsflow::kafka {

struct PartitionWatermarks {
  int64_t low = 0;   // first offset still stored (earlier ones were deleted)
  int64_t high = 0;  // offset the next record will get ("end offset")
  bool Empty() const { return high <= low; }
};

// Every partition of `topic`. NOT_FOUND when the cluster does not know the
// topic; UNAVAILABLE when the brokers do not answer within `timeout`.
absl::StatusOr<std::map<int32_t, PartitionWatermarks>> Watermarks(
    const std::string& brokers, const std::string& topic, std::chrono::milliseconds timeout);

// The high watermark of each partition of `topic` (see Watermarks).
absl::StatusOr<std::map<int32_t, int64_t>> EndOffsets(const std::string& brokers,
                                                      const std::string& topic,
                                                      std::chrono::milliseconds timeout);

}  // namespace smsflow::kafka
