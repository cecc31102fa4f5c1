// smsflow-router: wiring only. The logic lives in service/ (router_core.h
// decides, inbound_handler.h consumes sms.inbound.v1, rule_registry.h keeps
// the rules, subscription_hub.h feeds Subscribe) and rules/ (the engine and
// intent model); router_service.h adapts them to gRPC.
#include "lib/kafka/topics.h"
#include "lib/log/log.h"
#include "lib/runtime/service_runtime.h"
#include "services/router/service/inbound_handler.h"
#include "services/router/service/routed_fanout.h"
#include "services/router/service/router_service.h"

int main(int argc, char** argv) {
  using namespace smsflow;
  std::string rules_file;
  std::string intent_model = SMSFLOW_ROUTER_DEFAULT_INTENT_MODEL;
  std::chrono::milliseconds rules_poll = std::chrono::seconds(1);
  std::chrono::milliseconds reply_validity = std::chrono::hours(1);
  int subscriber_queue = 1000;
  double min_confidence = 0.5;
  double compliance_confidence = 0.7;
  return runtime::RunService(
      {.service = "router",
       .default_grpc_port = 7102,
       .default_metrics_port = 9102,
       .uses_redis = true},
      argc, argv,
      [&](config::ConfigLoader& loader) {
        loader.AddString("rules-file", &rules_file,
                         "router rules YAML (tenants: {<id>: {variables, rules, ...}}); see "
                         "services/router/service/rules_file.h. Empty: no file rules");
        loader.AddString("intent-model", &intent_model, "fastText intent model (.bin)");
        loader.AddMillis("rules-poll-ms", &rules_poll,
                         "how often to check Redis for rule changes made on other replicas");
        loader.AddMillis("auto-reply-validity-ms", &reply_validity,
                         "auto-replies expire this long after the router requests them");
        loader.AddInt("subscriber-queue", &subscriber_queue,
                      "messages a Subscribe stream may fall behind before it is ended");
        loader.AddDouble("intent-min-confidence", &min_confidence,
                         "threshold for intent rules whose min_confidence is 0");
        loader.AddDouble("compliance-min-confidence", &compliance_confidence,
                         "model confidence at which opt_out/opt_in/help is a compliance message");
      },
      [&](runtime::ServiceRuntime& rt) -> absl::Status {
        if (subscriber_queue < 1) {
          return absl::InvalidArgumentError("configuration: --subscriber-queue must be >= 1");
        }
        auto model = router::IntentModel::Load(intent_model);
        if (!model.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("configuration: --intent-model: ", model.status().message()));
        }
        router::RuleOptions base;
        base.known_intents.clear();
        for (const auto& label : (*model)->labels()) base.known_intents.insert(label);
        base.default_min_confidence = static_cast<float>(min_confidence);
        base.compliance_min_confidence = static_cast<float>(compliance_confidence);
        // The tenants file's keywords, classified exactly as consent does.
        auto classifiers = keywords::TenantClassifiers::FromTenants(*rt.tenants());
        if (!classifiers.ok()) return classifiers.status();
        base.tenant_keywords = *std::move(classifiers);
        std::map<std::string, router::TenantRulesConfig> file;
        if (!rules_file.empty()) {
          auto parsed = router::LoadRouterRulesFile(rules_file, base, rt.tenants().get());
          if (!parsed.ok()) {
            return absl::InvalidArgumentError(
                absl::StrCat("configuration: --rules-file: ", parsed.status().message()));
          }
          file = std::move(*parsed);
        }
        auto* metrics = rt.Own(std::make_unique<router::RouterMetrics>(rt.registry()));
        auto* store = rt.Own(std::make_unique<router::RuleStore>(rt.redis()));
        auto* rules = rt.Own(std::make_unique<router::RuleRegistry>(
            base, rt.tenants(), std::move(file), store, *metrics));
        // Redis may be late at start: the poller keeps loading, and the
        // consumer retries its batches until the rules are in.
        if (auto st = rules->LoadAll(); !st.ok()) {
          log::Warn("rules not loaded yet; retrying", {{"status", st}});
        }
        rules->StartPolling(rules_poll);
        auto* router = rt.Own(std::make_unique<router::Router>(
            *rules, *model, *metrics,
            router::RouterOptions{.auto_reply_validity = absl::FromChrono(reply_validity)}));
        auto* hub = rt.Own(std::make_unique<router::SubscriptionHub>(
            static_cast<size_t>(subscriber_queue), metrics));
        auto* handler = rt.Own(
            std::make_unique<router::InboundHandler>(*router, *rules, rt.producer(), *metrics));
        rt.host().AddService(
            rt.Own(std::make_unique<router::RouterServiceImpl>(*router, *rules, *hub)));

        kafka::ConsumerOptions copts;
        copts.brokers = rt.kafka_config().brokers;
        copts.group_id = rt.kafka_config().consumer_group;  // smsflow-router by default
        copts.topics = {std::string(kafka::topics::kInbound)};
        copts.client_id = "smsflow-router";
        auto* inbound = rt.Own(
            std::make_unique<kafka::Consumer>(copts, handler->AsBatchHandler(), &rt.producer()));
        auto* fanout = rt.Own(std::make_unique<kafka::Consumer>(
            router::FanoutConsumerOptions(copts.brokers, copts.group_id + "-fanout"),
            router::FanoutHandler(*hub, *metrics), &rt.producer()));
        if (auto st = inbound->Start(); !st.ok()) return st;
        if (auto st = fanout->Start(); !st.ok()) return st;
        rt.host().AddHealthCheck("inbound_consumer", [inbound] {
          return inbound->Healthy() ? absl::OkStatus()
                                    : absl::UnavailableError("inbound consumer stopped");
        });
        // Subscribe streams end (UNAVAILABLE) as soon as health is
        // NOT_SERVING, so stopping gRPC need not wait out its grace period.
        rt.AddDrainStep("close subscriptions", [hub] { hub->Close(); });
        // After gRPC: the inbound consumer finishes its batch and commits
        // while the producer is still alive; then the fan-out and the poller.
        rt.AddStopStep("stop inbound consumer", [inbound] { inbound->Stop(); });
        rt.AddStopStep("stop fan-out consumer", [fanout] { fanout->Stop(); });
        rt.AddStopStep("stop rule poller", [rules] { rules->StopPolling(); });
        return absl::OkStatus();
      });
}
