#pragma once
// Router: the decision for one text or one inbound message, and the records
// that carry it. No Kafka or gRPC here: the inbound consumer and the
// RouterService adapter both call it.
//
// Thread-safe (const after construction); borrows the registry, the model
// and the metrics, which must outlive it.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lib/kafka/record.h"
#include "services/router/rules/intent_model.h"
#include "services/router/service/router_metrics.h"
#include "services/router/service/rule_registry.h"
#include "smsflow/v1/outbound.pb.h"
#include "smsflow/v1/routed.pb.h"

namespace smsflow::router {

struct RouterOptions {
  // expire_time of an auto-reply is this long after the router requested it:
  // an answer to "are you open?" that could not go out within the hour is
  // better not sent at all.
  absl::Duration auto_reply_validity = absl::Hours(1);
};

// What the router decides about one text.
struct Decision {
  v1::Classification classification;
  std::vector<IntentScore> top_intents;  // only when asked for (Classify)
  // The rendered auto-reply, when the matched rule has one and it rendered.
  std::optional<std::string> reply;
  // Why a rule's reply was not rendered (missing variable), else OK.
  absl::Status reply_error;
};

// The records for one inbound message.
struct RouteResult {
  v1::RoutedMessage routed;
  std::optional<v1::OutboundRequest> reply;
  // Metric label: requested, skipped_missing_variable, skipped_invalid, or
  // empty when the rule had no reply.
  std::string reply_outcome;
};

class Router {
 public:
  // `model` may be null: intents are then empty and intent rules never match.
  Router(RuleRegistry& rules, std::shared_ptr<const IntentModel> model, RouterMetrics& metrics,
         RouterOptions options = {});

  // Classifies `body` sent to `to` for `tenant` at `when`; `top_k` > 0 also
  // fills top_intents. Records the classify latency.
  Decision Classify(const std::string& tenant, std::string_view to, std::string_view body,
                    absl::Time when, int top_k = 0) const;

  // The routed record and, when due, the auto-reply for `message`.
  // INVALID_ARGUMENT "<field>: <problem>" for a record that cannot be routed
  // (it goes to the dead-letter topic).
  absl::StatusOr<RouteResult> Route(const v1::InboundMessage& message, absl::Time now) const;

  // sms.routed.v1 keyed tenant|from, then sms.outbound.requested.v1 keyed
  // tenant|to (the same customer, so the same conversation key).
  static std::vector<kafka::Record> ToRecords(const RouteResult& result);

  const IntentModel* model() const { return model_.get(); }

 private:
  RuleRegistry& rules_;
  std::shared_ptr<const IntentModel> model_;
  RouterMetrics& metrics_;
  RouterOptions options_;
};

// Metric label values.
std::string MatchKindLabel(v1::MatchKind kind);
std::string FamilyLabel(v1::KeywordFamily family);

}  // namespace smsflow::router
