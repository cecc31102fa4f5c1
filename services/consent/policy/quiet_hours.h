#pragma once
// QuietHours: is a message of a category allowed now in the recipient's local
// time, and if not, when? Immutable after construction; safe to share between
// threads. Every answer carries the rule it rests on, for the evidence trail.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/consent/policy/categories.h"
#include "services/consent/policy/quiet_hours_config.h"
#include "services/consent/policy/zone_and_state.h"

namespace smsflow::consent::policy {

struct WindowDecision {
  bool allowed = false;
  // == now when allowed; else the earliest moment at which every candidate
  // allows the message; InfiniteFuture when none within the search horizon
  // (including when there are no candidates).
  absl::Time next_allowed;
  // When the window containing next_allowed closes (the earliest close over
  // the candidates); InfiniteFuture when it does not close within the horizon
  // (exempt categories, all-day windows).
  absl::Time window_end;
  // Evidence: "US-FL 08:00-20:00 America/New_York", candidates joined by "; ",
  // or "exempt: otp".
  std::string rule;
};

enum class DeferralAction { kAllow, kDefer, kExpire };

struct Deferral {
  DeferralAction action = DeferralAction::kExpire;
  // kAllow: now. kDefer: release time (the next allowed moment). kExpire: the
  // next allowed moment that falls at or after the expiry (InfiniteFuture if
  // none), or now when the validity had already ended.
  absl::Time until;
  // "" (allow), "quiet_hours" (defer, or expire because the next allowed
  // moment is at or after expire_time), "validity_expired" (expire_time <= now).
  std::string reason;
  std::string rule;
};

inline constexpr absl::string_view kReasonQuietHours = "quiet_hours";
inline constexpr absl::string_view kReasonValidityExpired = "validity_expired";

class QuietHours {
 public:
  // INVALID_ARGUMENT when config.Validate() fails.
  static absl::StatusOr<QuietHours> Create(QuietHoursConfig config);

  bool IsExempt(Category category) const { return exempt_[static_cast<int>(category)]; }
  // The window that applies at a place: its "CC-SS" rule, else its "CC"
  // rule, else the default. Sets *key to the rule's key ("default" for the
  // default window) when key is not null.
  const LocalWindow& WindowFor(const ZoneAndState& place, std::string* key = nullptr) const;

  // Allowed only if allowed at every candidate. DST-safe: a local time is
  // read with the zone's offset at that instant, so a window opens at the
  // first instant whose local time lies inside it (e.g. 03:00 EDT for a
  // 02:30 start on the spring-forward day) and a window in the repeated hour
  // of a fall-back day is open in each occurrence of it.
  WindowDecision CheckWindow(absl::Time now, const std::vector<ZoneAndState>& candidates,
                             Category category) const;

  // Quiet hours with the message's validity: allow, defer to the next allowed
  // moment, or expire when that moment is not before expire_time.
  Deferral Decide(absl::Time now, absl::Time expire_time,
                  const std::vector<ZoneAndState>& candidates, Category category) const;

  const QuietHoursConfig& config() const { return config_; }

 private:
  explicit QuietHours(QuietHoursConfig config);

  QuietHoursConfig config_;
  bool exempt_[kCategoryCount] = {};
};

}  // namespace smsflow::consent::policy
