// Benchmark of the gate's pure decision logic (consent rules + recipient zone
// + quiet hours + frequency-cap arithmetic), without Redis or Kafka: the CPU
// cost per decision that bounds one gate replica. Not a test; run by hand:
//   build-*/services/consent/gate/consent_gate_bench
// items_per_second is decisions/s.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "services/consent/gate/frequency_caps.h"
#include "services/consent/gate/gate_decider.h"

namespace smsflow::consent::gate {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1718208000);  // 2024-06-12 16:00 UTC, noon in NY

void Ts(absl::Time t, google::protobuf::Timestamp* out) {
  out->set_seconds(absl::ToUnixSeconds(t));
}

const GateDecider& Decider() {
  static const std::unique_ptr<GateDecider> decider = [] {
    auto d = GateDecider::Create(policy::PolicyConfig{}, GateConfig{}, SMSFLOW_AREA_CODE_TABLE);
    if (!d.ok()) std::abort();
    return *std::move(d);
  }();
  return *decider;
}

v1::OutboundRequest Request(v1::Category category, const std::string& to, int n) {
  v1::OutboundRequest r;
  r.set_message_id("0190a5b2-7c3e-7d4f-8a9b-" + std::to_string(100000000000 + n));
  r.set_tenant_id("acme");
  r.set_sender_scope("main");
  r.set_to(to);
  r.set_category(category);
  r.set_origin(v1::OUTBOUND_ORIGIN_SENDER_API);
  Ts(kNow, r.mutable_request_time());
  Ts(kNow + absl::Hours(72), r.mutable_expire_time());
  return r;
}

v1::ConsentState State(const std::string& to) {
  v1::ConsentState s;
  s.set_tenant_id("acme");
  s.set_sender_scope("main");
  s.set_recipient(to);
  for (v1::ConsentKind k : {v1::CONSENT_KIND_IMPLIED, v1::CONSENT_KIND_EXPRESS_WRITTEN}) {
    v1::ConsentGrant* g = s.add_grants();
    g->set_kind(k);
    Ts(kNow - absl::Hours(2), g->mutable_grant_time());
    g->set_event_id("ev");
  }
  return s;
}

void BM_DecideTransactional(benchmark::State& st) {
  const auto r = Request(v1::CATEGORY_TRANSACTIONAL, "+12125550123", 1);
  const auto s = State(r.to());
  for (auto _ : st) benchmark::DoNotOptimize(Decider().Decide(r, &s, kNow));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_DecideTransactional);

void BM_DecideMarketingQuietHoursAndCaps(benchmark::State& st) {
  const auto r = Request(v1::CATEGORY_MARKETING, "+13055550123", 1);  // Florida
  const auto s = State(r.to());
  for (auto _ : st) benchmark::DoNotOptimize(Decider().Decide(r, &s, kNow));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_DecideMarketingQuietHoursAndCaps);

void BM_DecideOptedOut(benchmark::State& st) {
  const auto r = Request(v1::CATEGORY_MARKETING, "+12125550123", 1);
  auto s = State(r.to());
  s.set_opted_out(true);
  for (auto _ : st) benchmark::DoNotOptimize(Decider().Decide(r, &s, kNow));
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_DecideOptedOut);

// A consumed batch of mixed requests decided, then the approvals' caps
// reserved in memory: the whole per-batch CPU path minus I/O.
void BM_DecideBatchWithCaps(benchmark::State& st) {
  const int n = static_cast<int>(st.range(0));
  const char* numbers[] = {"+12125550123", "+13055550123", "+19185550123", "+14155550123"};
  const v1::Category categories[] = {v1::CATEGORY_MARKETING, v1::CATEGORY_TRANSACTIONAL,
                                     v1::CATEGORY_CONVERSATIONAL, v1::CATEGORY_OTP};
  std::vector<v1::OutboundRequest> requests;
  std::vector<v1::ConsentState> states;
  for (int i = 0; i < n; ++i) {
    std::string to = numbers[i % 4];
    to.replace(to.size() - 4, 4, std::to_string(1000 + i % 9000));
    requests.push_back(Request(categories[(i / 4) % 4], to, i));
    states.push_back(State(to));
  }
  for (auto _ : st) {
    InMemoryCapLedger caps;
    std::vector<CapReservation> reservations;
    for (int i = 0; i < n; ++i) {
      Decision d = Decider().Decide(requests[i], &states[i], kNow);
      if (d.verdict == Verdict::kApprove && !d.caps.empty()) {
        reservations.push_back({requests[i].message_id(), kNow, std::move(d.caps)});
      }
    }
    benchmark::DoNotOptimize(caps.ReserveAll(reservations));
  }
  st.SetItemsProcessed(st.iterations() * n);
}
BENCHMARK(BM_DecideBatchWithCaps)->Arg(500);

}  // namespace
}  // namespace smsflow::consent::gate
