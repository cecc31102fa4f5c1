#include "services/router/service/inbound_handler.h"

#include "absl/strings/str_cat.h"
#include "lib/log/log.h"

namespace smsflow::router {

InboundHandler::InboundHandler(Router& router, RuleRegistry& rules, kafka::Producer& producer,
                               RouterMetrics& metrics)
    : router_(router), rules_(rules), producer_(producer), metrics_(metrics) {}

kafka::BatchHandler InboundHandler::AsBatchHandler() {
  return kafka::ProtoBatchHandler<v1::InboundMessage>(
      [this](const kafka::ProtoBatch<v1::InboundMessage>& batch) { return Handle(batch); });
}

std::vector<kafka::Disposition> InboundHandler::Handle(
    const kafka::ProtoBatch<v1::InboundMessage>& batch) {
  std::vector<kafka::Disposition> out(batch.size());
  if (!rules_.loaded()) {
    // Routing with a table that lacks the stored changes would break an
    // operator's rule; wait for the store instead (nothing is committed).
    for (auto& d : out) d = {kafka::Outcome::kRetry, "rules not loaded yet (rule store)"};
    return out;
  }
  const absl::Time now = absl::Now();
  std::vector<kafka::Record> records;
  std::vector<std::pair<size_t, size_t>> spans(batch.size(), {0, 0});  // [first, end) records
  std::vector<RouteResult> results(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    const v1::InboundMessage& msg = batch[i].second;
    auto result = router_.Route(msg, now);
    if (!result.ok()) {
      out[i] = {kafka::Outcome::kDeadLetter,
                absl::StrCat("validation: ", std::string(result.status().message()))};
      metrics_.messages
          .Add(
              {{"match_kind", "unspecified"}, {"compliance", "none"}, {"outcome", "dead_lettered"}})
          .Increment();
      log::Warn("inbound message dead-lettered", {{"tenant", msg.tenant_id()},
                                                  {"message_id", msg.message_id()},
                                                  {"status", result.status()}});
      continue;
    }
    std::vector<kafka::Record> mine = Router::ToRecords(*result);
    spans[i] = {records.size(), records.size() + mine.size()};
    for (auto& r : mine) records.push_back(std::move(r));
    results[i] = std::move(*result);
  }
  if (records.empty()) return out;
  const auto acks = producer_.SendAll(std::move(records));
  for (size_t i = 0; i < batch.size(); ++i) {
    if (out[i].outcome == kafka::Outcome::kDeadLetter) continue;
    absl::Status failed;
    for (size_t r = spans[i].first; r < spans[i].second; ++r) {
      if (!acks[r].ok()) failed = acks[r].status();
    }
    const v1::Classification& c = results[i].routed.classification();
    const std::string kind = MatchKindLabel(c.match_kind());
    const std::string family = FamilyLabel(c.keyword_family());
    if (!failed.ok()) {
      out[i] = {kafka::Outcome::kRetry, absl::StrCat("publish: ", std::string(failed.message()))};
      metrics_.messages.Add({{"match_kind", kind}, {"compliance", family}, {"outcome", "retried"}})
          .Increment();
      continue;
    }
    metrics_.messages.Add({{"match_kind", kind}, {"compliance", family}, {"outcome", "routed"}})
        .Increment();
    if (!results[i].reply_outcome.empty()) {
      metrics_.auto_replies.Add({{"outcome", results[i].reply_outcome}}).Increment();
    }
    log::Debug("routed", {{"tenant", results[i].routed.message().tenant_id()},
                          {"message_id", results[i].routed.message().message_id()},
                          {"destination", c.destination()},
                          {"rule_id", c.rule_id()}});
  }
  return out;
}

}  // namespace smsflow::router
