// Decision-logic benchmarks for the consent gate's performance note: quiet
// hours for one zone and for the four-zone unknown-US fallback, and the
// per-category consent check. Run by hand: ./consent_policy_bench
#include <benchmark/benchmark.h>

#include "lib/sms/phone.h"
#include "services/consent/policy/area_code_table.h"
#include "services/consent/policy/consent_rules.h"
#include "services/consent/policy/country_zones.h"
#include "services/consent/policy/quiet_hours.h"
#include "services/consent/policy/recipient_zone.h"

namespace smsflow::consent::policy {
namespace {

const QuietHours& Rules() {
  static const QuietHours* q = new QuietHours(*QuietHours::Create(QuietHoursConfig::Defaults()));
  return *q;
}

const CountryZones& Countries() {
  static const CountryZones* c = new CountryZones(*CountryZones::Builtin());
  return *c;
}

std::vector<ZoneAndState> NewYorkFl() {
  absl::TimeZone tz;
  absl::LoadTimeZone("America/New_York", &tz);
  return {{tz, "America/New_York", "US", "FL"}};
}

// Noon (allowed: computes the window end) and 22:00 (deferred: next opening).
const absl::Time kNoonEt = absl::FromUnixSeconds(1781712000);  // 2026-06-17 16:00 UTC
const absl::Time kLateEt = kNoonEt + absl::Hours(10);

void BM_CheckWindow_OneZone_Allowed(benchmark::State& state) {
  const auto where = NewYorkFl();
  for (auto _ : state) {
    benchmark::DoNotOptimize(Rules().CheckWindow(kNoonEt, where, Category::kMarketing));
  }
}
BENCHMARK(BM_CheckWindow_OneZone_Allowed);

void BM_CheckWindow_OneZone_Deferred(benchmark::State& state) {
  const auto where = NewYorkFl();
  for (auto _ : state) {
    benchmark::DoNotOptimize(Rules().CheckWindow(kLateEt, where, Category::kMarketing));
  }
}
BENCHMARK(BM_CheckWindow_OneZone_Deferred);

void BM_CheckWindow_FourZones_Allowed(benchmark::State& state) {
  const auto& us = *Countries().Fallback("US");
  for (auto _ : state) {
    benchmark::DoNotOptimize(Rules().CheckWindow(kNoonEt, us, Category::kMarketing));
  }
}
BENCHMARK(BM_CheckWindow_FourZones_Allowed);

void BM_CheckWindow_FourZones_Deferred(benchmark::State& state) {
  const auto& us = *Countries().Fallback("US");
  for (auto _ : state) {
    benchmark::DoNotOptimize(Rules().CheckWindow(kLateEt, us, Category::kMarketing));
  }
}
BENCHMARK(BM_CheckWindow_FourZones_Deferred);

void BM_CheckWindow_Exempt(benchmark::State& state) {
  const auto where = NewYorkFl();
  for (auto _ : state) {
    benchmark::DoNotOptimize(Rules().CheckWindow(kLateEt, where, Category::kOtp));
  }
}
BENCHMARK(BM_CheckWindow_Exempt);

void BM_ResolveRecipientZone_AreaCode(benchmark::State& state) {
  static const AreaCodeTable* table =
      new AreaCodeTable(*AreaCodeTable::LoadFile(SMSFLOW_AREA_CODE_TABLE));
  const sms::PhoneNumber phone{"+13055550100", "US", 1, "305", sms::NumberType::kFixedLineOrMobile};
  for (auto _ : state) {
    benchmark::DoNotOptimize(ResolveRecipientZone(phone, std::nullopt, *table, Countries()));
  }
}
BENCHMARK(BM_ResolveRecipientZone_AreaCode);

void BM_Required(benchmark::State& state) {
  const ConsentRules rules;
  ConsentState s;
  s.grants.push_back({ConsentKind::kImplied, kNoonEt - absl::Hours(1), "sms:in:1"});
  s.grants.push_back({ConsentKind::kExpressWritten, kNoonEt - absl::Hours(100), "form:7"});
  for (auto _ : state) {
    benchmark::DoNotOptimize(rules.Required(Category::kMarketing, s, kNoonEt));
  }
}
BENCHMARK(BM_Required);

void BM_Required_Denied(benchmark::State& state) {
  const ConsentRules rules;
  ConsentState s;
  s.grants.push_back({ConsentKind::kExpress, kNoonEt - absl::Hours(1), "api:3"});
  for (auto _ : state) {
    benchmark::DoNotOptimize(rules.Required(Category::kMarketing, s, kNoonEt));
  }
}
BENCHMARK(BM_Required_Denied);

}  // namespace
}  // namespace smsflow::consent::policy
