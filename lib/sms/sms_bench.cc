// Microbenchmarks for the per-message hot paths. Not a test: run by hand.

#include <string>

#include "benchmark/benchmark.h"
#include "lib/sms/message_id.h"
#include "lib/sms/phone.h"
#include "lib/sms/segments.h"

namespace smsflow::sms {
namespace {

void BM_CountSegmentsGsm160(benchmark::State& state) {
  std::string text;
  while (text.size() < 160) text += "Your code is 123456. Reply STOP to opt out. ";
  text.resize(160);
  for (auto _ : state) benchmark::DoNotOptimize(CountSegments(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 160);
}
BENCHMARK(BM_CountSegmentsGsm160);

void BM_CountSegmentsUcs2_70(benchmark::State& state) {
  std::string text;
  for (int i = 0; i < 70; ++i) text += "\xD0\x96";  // Ж
  for (auto _ : state) benchmark::DoNotOptimize(CountSegments(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * text.size());
}
BENCHMARK(BM_CountSegmentsUcs2_70);

void BM_SmartEncode160(benchmark::State& state) {
  std::string text;
  while (text.size() < 160) text += "\xE2\x80\x9CHi\xE2\x80\x9D \xE2\x80\x94 it\xE2\x80\x99s ok ";
  for (auto _ : state) benchmark::DoNotOptimize(SmartEncode(text));
}
BENCHMARK(BM_SmartEncode160);

void BM_ParsePhone(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParsePhone("+1 (650) 253-0000"));
}
BENCHMARK(BM_ParsePhone);

void BM_NormalizeE164National(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NormalizeE164("650.253.0000", "US"));
}
BENCHMARK(BM_NormalizeE164National);

void BM_NewMessageId(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NewMessageId());
}
BENCHMARK(BM_NewMessageId)->Threads(1)->Threads(2);

}  // namespace
}  // namespace smsflow::sms
