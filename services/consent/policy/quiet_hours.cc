#include "services/consent/policy/quiet_hours.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"

namespace smsflow::consent::policy {
namespace {

struct Place {
  const ZoneAndState* where;
  const LocalWindow* window;
};

int MinuteOfDay(absl::Time t, absl::TimeZone zone) {
  const absl::CivilMinute m = absl::ToCivilMinute(t, zone);
  return m.hour() * 60 + m.minute();
}

bool AllAllow(absl::Time t, const absl::InlinedVector<Place, 4>& places) {
  for (const Place& p : places) {
    if (!p.window->Contains(MinuteOfDay(t, p.where->zone))) return false;
  }
  return true;
}

// Adds the instants in (lo, hi) at which `minute_of_day` on `day` happens in
// `zone`: one
// normally; for a local time skipped or repeated by a DST change, both
// readings and the transition itself. Allowed-ness only changes at such
// instants, so checking them (in order) finds every opening and closing.
void AddBoundary(absl::CivilDay day, int minute_of_day, absl::TimeZone zone, absl::Time lo,
                 absl::Time hi, absl::InlinedVector<absl::Time, 64>* out) {
  const absl::CivilSecond cs = absl::CivilSecond(day) + minute_of_day * 60;
  const absl::TimeZone::TimeInfo ti = zone.At(cs);
  auto add = [&](absl::Time t) {
    if (t > lo && t < hi) out->push_back(t);
  };
  add(ti.pre);
  if (ti.kind != absl::TimeZone::TimeInfo::UNIQUE) {
    add(ti.trans);
    add(ti.post);
  }
}

// The first instant at which the local clock reads `day` 00:00 or later: a
// skipped midnight counts from the transition, a repeated one from its first
// occurrence. No boundary of `day` or later happens before it.
absl::Time FirstInstantOf(absl::CivilDay day, absl::TimeZone zone) {
  const absl::TimeZone::TimeInfo ti = zone.At(absl::CivilSecond(day));
  return ti.kind == absl::TimeZone::TimeInfo::SKIPPED ? ti.trans : ti.pre;
}

struct Scan {
  bool allowed_now = false;
  absl::Time next_allowed = absl::InfiniteFuture();
  absl::Time window_end = absl::InfiniteFuture();
  bool complete = false;  // both found before the limit
};

// Walks, in order, every instant in (now, limit) at which some candidate's
// window may open or close, generating boundaries for local days from
// yesterday to `days_ahead` after today.
Scan ScanBoundaries(absl::Time now, const absl::InlinedVector<Place, 4>& places, int days_ahead,
                    absl::Time limit) {
  absl::InlinedVector<absl::Time, 64> points;
  for (const Place& p : places) {
    const absl::CivilDay today = absl::ToCivilDay(now, p.where->zone);
    for (absl::CivilDay day = today - 1; day <= today + days_ahead; ++day) {
      AddBoundary(day, p.window->start_minute, p.where->zone, now, limit, &points);
      AddBoundary(day, p.window->end_minute, p.where->zone, now, limit, &points);
    }
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());

  Scan scan;
  bool open = scan.allowed_now = AllAllow(now, places);
  if (open) scan.next_allowed = now;
  for (absl::Time t : points) {
    const bool ok = AllAllow(t, places);
    if (!open && ok) {
      open = true;
      scan.next_allowed = t;
    } else if (open && !ok) {
      scan.window_end = t;
      scan.complete = true;
      break;
    }
  }
  return scan;
}

}  // namespace

absl::StatusOr<QuietHours> QuietHours::Create(QuietHoursConfig config) {
  if (auto st = config.Validate(); !st.ok()) return st;
  return QuietHours(std::move(config));
}

QuietHours::QuietHours(QuietHoursConfig config) : config_(std::move(config)) {
  for (Category c : config_.exempt_categories) exempt_[static_cast<int>(c)] = true;
}

const LocalWindow& QuietHours::WindowFor(const ZoneAndState& place, std::string* key) const {
  if (!place.country.empty()) {
    if (!place.state.empty()) {
      auto it = config_.region_windows.find(place.RegionKey());
      if (it != config_.region_windows.end()) {
        if (key != nullptr) *key = it->first;
        return it->second;
      }
    }
    auto it = config_.region_windows.find(place.country);
    if (it != config_.region_windows.end()) {
      if (key != nullptr) *key = it->first;
      return it->second;
    }
  }
  if (key != nullptr) *key = "default";
  return config_.default_window;
}

WindowDecision QuietHours::CheckWindow(absl::Time now, const std::vector<ZoneAndState>& candidates,
                                       Category category) const {
  WindowDecision d;
  if (IsExempt(category)) {
    d.allowed = true;
    d.next_allowed = now;
    d.window_end = absl::InfiniteFuture();
    d.rule = absl::StrCat("exempt: ", CategoryName(category));
    return d;
  }
  d.next_allowed = absl::InfiniteFuture();
  d.window_end = absl::InfiniteFuture();
  if (candidates.empty()) {
    d.rule = "no time zone known for the recipient";
    return d;
  }

  absl::InlinedVector<Place, 4> places;
  std::string key;
  for (const ZoneAndState& c : candidates) {
    const LocalWindow& w = WindowFor(c, &key);
    places.push_back({&c, &w});
    const std::string where = c.RegionKey().empty() ? std::string("?") : c.RegionKey();
    absl::StrAppend(&d.rule, d.rule.empty() ? "" : "; ", where, " ", w.ToString(), " ", c.zone_name,
                    key == "default" ? " (default)" : "");
  }

  // Most answers lie within the next local day, so look there first and
  // only generate the whole horizon when the window does not both open and
  // close before the first instant that could belong to a later day.
  absl::Time limit = now + config_.search_horizon;
  for (const Place& p : places) {
    limit =
        std::min(limit, FirstInstantOf(absl::ToCivilDay(now, p.where->zone) + 2, p.where->zone));
  }
  Scan scan = ScanBoundaries(now, places, /*days_ahead=*/1, limit);
  if (!scan.complete) {
    scan =
        ScanBoundaries(now, places, static_cast<int>(config_.search_horizon / absl::Hours(24)) + 2,
                       now + config_.search_horizon + absl::Nanoseconds(1));
  }
  d.allowed = scan.allowed_now;
  d.next_allowed = scan.next_allowed;
  d.window_end = scan.window_end;
  return d;
}

Deferral QuietHours::Decide(absl::Time now, absl::Time expire_time,
                            const std::vector<ZoneAndState>& candidates, Category category) const {
  Deferral out;
  if (expire_time <= now) {
    out.action = DeferralAction::kExpire;
    out.until = now;
    out.reason = std::string(kReasonValidityExpired);
    return out;
  }
  WindowDecision w = CheckWindow(now, candidates, category);
  out.rule = std::move(w.rule);
  out.until = w.next_allowed;
  if (w.allowed) {
    out.action = DeferralAction::kAllow;
  } else if (w.next_allowed < expire_time) {
    out.action = DeferralAction::kDefer;
    out.reason = std::string(kReasonQuietHours);
  } else {
    out.action = DeferralAction::kExpire;
    out.reason = std::string(kReasonQuietHours);
  }
  return out;
}

}  // namespace smsflow::consent::policy
