#include "services/sender/api/status_rules.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "lib/delivery/delivery_events.h"

namespace smsflow::sender {

int StatusRank(v1::MessageStatus status) {
  switch (status) {
    case v1::MESSAGE_STATUS_ACCEPTED:
      return 1;
    case v1::MESSAGE_STATUS_SCHEDULED:
      return 2;
    case v1::MESSAGE_STATUS_QUEUED:
      return 3;
    case v1::MESSAGE_STATUS_SENDING:
      return 4;
    case v1::MESSAGE_STATUS_SENT:
      return 5;
    default:
      return IsFinal(status) ? 10 : 0;
  }
}

bool IsFinal(v1::MessageStatus status) { return delivery::IsFinalStatus(status); }

std::string StatusLabel(v1::MessageStatus status) {
  if (!v1::MessageStatus_IsValid(status)) return "unknown";
  return absl::AsciiStrToLower(
      v1::MessageStatus_Name(status).substr(sizeof("MESSAGE_STATUS_") - 1));
}

std::string ReasonLabel(v1::ReasonCode reason) {
  if (reason == v1::REASON_CODE_UNSPECIFIED) return "";
  if (!v1::ReasonCode_IsValid(reason)) return "unknown";
  return absl::AsciiStrToLower(v1::ReasonCode_Name(reason).substr(sizeof("REASON_CODE_") - 1));
}

bool ShouldReplace(const TrackedStatus& current, int rank, bool final, int64_t event_ms) {
  if (rank <= 0) return false;
  if (current.rank == 0) return true;
  if (current.final) return false;
  if (rank != current.rank) return rank > current.rank;
  return !final && event_ms >= current.updated_ms;
}

v1::BatchProgress MakeProgress(int64_t total, const std::map<int, int64_t>& counts, bool open) {
  v1::BatchProgress p;
  int64_t final_count = 0, seen = 0;
  for (const auto& [status, count] : counts) {
    if (count <= 0) continue;
    auto* sc = p.add_status_counts();
    sc->set_status(static_cast<v1::MessageStatus>(status));
    sc->set_count(count);
    seen += count;
    if (IsFinal(static_cast<v1::MessageStatus>(status))) final_count += count;
  }
  // Messages the tracker has not seen yet are still ACCEPTED as far as the
  // caller can tell, so counts always add up to total.
  if (seen < total) {
    int64_t missing = total - seen;
    bool merged = false;
    for (auto& sc : *p.mutable_status_counts()) {
      if (sc.status() == v1::MESSAGE_STATUS_ACCEPTED) {
        sc.set_count(sc.count() + missing);
        merged = true;
      }
    }
    if (!merged) {
      auto* sc = p.add_status_counts();
      sc->set_status(v1::MESSAGE_STATUS_ACCEPTED);
      sc->set_count(missing);
      std::sort(p.mutable_status_counts()->begin(), p.mutable_status_counts()->end(),
                [](const auto& a, const auto& b) { return a.status() < b.status(); });
    }
  }
  p.set_total(std::max(total, seen));
  p.set_done(!open && final_count >= p.total());
  return p;
}

int64_t NotYetSubmitted(int64_t total, const std::map<int, int64_t>& counts) {
  int64_t seen = 0, waiting = 0;
  for (const auto& [status, count] : counts) {
    seen += count;
    if (status == v1::MESSAGE_STATUS_ACCEPTED || status == v1::MESSAGE_STATUS_SCHEDULED ||
        status == v1::MESSAGE_STATUS_QUEUED) {
      waiting += count;
    }
  }
  return waiting + std::max<int64_t>(0, total - seen);
}

v1::Lane LaneOf(v1::Category category) {
  switch (category) {
    case v1::CATEGORY_OTP:
      return v1::LANE_OTP;
    case v1::CATEGORY_TRANSACTIONAL:
    case v1::CATEGORY_COMPLIANCE:
      return v1::LANE_TRANSACTIONAL;
    case v1::CATEGORY_CONVERSATIONAL:
      return v1::LANE_CONVERSATIONAL;
    case v1::CATEGORY_MARKETING:
      return v1::LANE_MARKETING;
    default:
      return v1::LANE_UNSPECIFIED;
  }
}

}  // namespace smsflow::sender
