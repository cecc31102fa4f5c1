// The per-message cost of ingest without I/O: validation, E.164
// normalisation, segment counting, record building and serialisation.
// Run: build/services/ingest/ingest_bench
#include <benchmark/benchmark.h>
#include <google/protobuf/util/time_util.h>

#include "lib/config/tenants.h"
#include "lib/sms/message_id.h"
#include "services/ingest/inbound_pipeline.h"
#include "services/ingest/inbound_validation.h"

namespace smsflow::ingest {
namespace {

constexpr char kTenants[] = R"(
tenants:
  - id: acme
    brand: {name: Acme, description: orders, frequency: varies, support: help@acme.example}
    numbers:
      - {number: "+14155550100", scope: main}
)";

void BM_InboundPerMessage(benchmark::State& state, const char* from, const char* body) {
  auto tenants = *config::TenantDirectory::FromYaml(kTenants);
  const InboundLimits limits;
  const auto now = google::protobuf::util::TimeUtil::GetCurrentTime();
  for (auto _ : state) {
    const bool to_known = tenants->FindNumber("+14155550100").has_value();
    auto valid = ValidateInbound({from, "+14155550100", body, 0, to_known}, limits);
    auto owner = tenants->FindNumber(valid->to);
    v1::InboundMessage msg;
    msg.set_message_id(sms::NewMessageId());
    msg.set_tenant_id(owner->tenant->id);
    msg.set_sender_scope(owner->number->scope);
    msg.set_from(valid->from);
    msg.set_to(valid->to);
    msg.set_body(body);
    msg.set_segments(valid->segments.segments);
    msg.set_provider("twilio");
    msg.set_provider_message_id("SM0123456789abcdef0123456789abcdef");
    *msg.mutable_received_time() = now;
    kafka::Record record = InboundPipeline::ToRecord(msg);
    benchmark::DoNotOptimize(record);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_InboundPerMessage, e164_gsm_short, "+14155550123", "BALANCE");
BENCHMARK_CAPTURE(BM_InboundPerMessage, national_format_gsm_160, "(415) 555-0123",
                  "Hi, I ordered the blue denim shirt last week and it still hasn't shipped. "
                  "Can you tell me when it will arrive? Order number is 48213. Thanks so much!");
BENCHMARK_CAPTURE(BM_InboundPerMessage, e164_ucs2_emoji, "+14155550123",
                  "Can I move my appointment to Friday? \xF0\x9F\x99\x8F Thanks");

}  // namespace
}  // namespace smsflow::ingest

BENCHMARK_MAIN();
