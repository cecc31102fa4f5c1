#include "services/consent/ledger/inbound_keyword_handler.h"

#include "absl/strings/str_cat.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/record.h"
#include "lib/log/log.h"
#include "services/consent/ledger/inbound_plan.h"

namespace smsflow::consent::ledger {
namespace {

std::string Validate(const v1::InboundMessage& m, const config::TenantDirectory& tenants) {
  if (m.message_id().empty()) return "message_id: missing";
  if (m.tenant_id().empty()) return "tenant_id: missing";
  if (tenants.FindTenant(m.tenant_id()) == nullptr) {
    return absl::StrCat("tenant_id: unknown tenant '", m.tenant_id(), "'");
  }
  if (m.sender_scope().empty()) return "sender_scope: missing";
  if (m.from().empty()) return "from: missing";
  if (m.to().empty()) return "to: missing";
  return "";
}

}  // namespace

InboundKeywordHandler::InboundKeywordHandler(std::shared_ptr<const config::TenantDirectory> tenants,
                                             std::shared_ptr<const ConsentConfigSet> configs,
                                             kafka::Producer& producer,
                                             consentview::ConsentView& view,
                                             ConfirmationWindow& window, LedgerMetrics& metrics,
                                             InboundHandlerOptions options)
    : tenants_(std::move(tenants)),
      configs_(std::move(configs)),
      producer_(producer),
      view_(view),
      window_(window),
      metrics_(metrics),
      options_(std::move(options)) {}

kafka::BatchHandler InboundKeywordHandler::AsBatchHandler() {
  return kafka::ProtoBatchHandler<v1::InboundMessage>(
      [this](const kafka::ProtoBatch<v1::InboundMessage>& batch) { return Handle(batch); });
}

std::vector<kafka::Disposition> InboundKeywordHandler::Handle(
    const kafka::ProtoBatch<v1::InboundMessage>& batch) {
  std::vector<kafka::Disposition> out(batch.size());
  const absl::Time now = options_.clock();

  // 1. Validate; read the view state of every valid sender in one MGET.
  std::vector<size_t> valid;
  std::vector<consentview::ConsentKey> keys;
  for (size_t i = 0; i < batch.size(); ++i) {
    const v1::InboundMessage& m = batch[i].second;
    if (std::string why = Validate(m, *tenants_); !why.empty()) {
      out[i] = {kafka::Outcome::kDeadLetter, why};
      continue;
    }
    valid.push_back(i);
    keys.push_back({m.tenant_id(), m.sender_scope(), m.from()});
  }
  auto retry_all = [&](std::string_view op, const absl::Status& s) {
    metrics_.failures.Add({{"operation", std::string(op)}}).Increment();
    static log::Throttle throttle(absl::Seconds(10));  // see LedgerApplier
    if (throttle.Allow()) {
      log::Warn("consent inbound batch will be retried", {{"operation", op}, {"status", s}});
    }
    for (size_t i : valid)
      out[i] = {kafka::Outcome::kRetry, absl::StrCat(std::string(op), ": ", s.ToString())};
    return out;
  };
  if (valid.empty()) return out;
  auto states = view_.GetAll(keys);
  if (!states.ok()) return retry_all("view_read", states.status());

  // 2. Plan each message.
  std::vector<InboundPlan> plans(valid.size());
  std::vector<WindowClaim> claims;
  std::vector<size_t> claim_of;  // plan index per claim
  for (size_t j = 0; j < valid.size(); ++j) {
    const v1::InboundMessage& m = batch[valid[j]].second;
    const ConsentConfigSet::Entry* entry = configs_->Find(m.tenant_id());
    if (entry == nullptr) {
      out[valid[j]] = {kafka::Outcome::kDeadLetter, "tenant_id: no consent config for tenant"};
      continue;
    }
    auto owner = tenants_->FindNumber(m.to());
    InboundInputs in;
    in.tenant = tenants_->FindTenant(m.tenant_id());
    in.config = &entry->config;
    in.classifier = &entry->classifier;
    in.toll_free = owner.has_value() && owner->number->type == config::NumberType::kTollFree;
    in.state = (*states)[j].has_value() ? &(*states)[j]->state : nullptr;
    in.now = now;
    plans[j] = PlanInbound(m, in);
    metrics_.keyword_outcomes.Add({{"family", plans[j].family}, {"method", plans[j].method}})
        .Increment();
    if (plans[j].reply.has_value()) {
      claims.push_back({m.tenant_id(), m.sender_scope(), m.from(), plans[j].family,
                        plans[j].event->event_id(), entry->config.confirmation_window});
      claim_of.push_back(j);
    } else if (!plans[j].no_reply_reason.empty()) {
      metrics_.confirmations.Add({{"family", plans[j].family}, {"outcome", "suppressed"}})
          .Increment();
    }
  }

  // 3. The confirmation window: a repeated keyword is recorded, not answered.
  auto owned = window_.ClaimAll(claims);
  if (!owned.ok()) return retry_all("confirmation_window", owned.status());
  for (size_t k = 0; k < claims.size(); ++k) {
    InboundPlan& p = plans[claim_of[k]];
    const bool send = (*owned)[k];
    metrics_.confirmations.Add({{"family", p.family}, {"outcome", send ? "sent" : "suppressed"}})
        .Increment();
    if (!send) {
      p.reply.reset();
      p.event->clear_confirmation_message_id();
    }
  }

  // 4. Publish everything in one batch; a message is done when all of its
  // records are acknowledged.
  std::vector<kafka::Record> records;
  std::vector<size_t> record_owner;  // index into `valid`
  for (size_t j = 0; j < valid.size(); ++j) {
    if (out[valid[j]].outcome != kafka::Outcome::kDone) continue;
    const InboundPlan& p = plans[j];
    if (p.event.has_value()) {
      records.push_back(
          kafka::ProtoRecord(options_.consent_topic, consentview::RecordKeyOf(*p.event), *p.event));
      record_owner.push_back(j);
    }
    if (p.reply.has_value()) {
      records.push_back(kafka::ProtoRecord(options_.outbound_topic,
                                           absl::StrCat(p.reply->tenant_id(), "|", p.reply->to()),
                                           *p.reply));
      record_owner.push_back(j);
    }
  }
  auto acks = producer_.SendAll(std::move(records));
  for (size_t r = 0; r < acks.size(); ++r) {
    if (acks[r].ok()) continue;
    const size_t i = valid[record_owner[r]];
    if (out[i].outcome == kafka::Outcome::kRetry) continue;
    metrics_.failures.Add({{"operation", "publish"}}).Increment();
    out[i] = {kafka::Outcome::kRetry, absl::StrCat("publish: ", acks[r].status().ToString())};
  }
  for (size_t j = 0; j < valid.size(); ++j) {
    const v1::InboundMessage& m = batch[valid[j]].second;
    if (out[valid[j]].outcome != kafka::Outcome::kDone || !plans[j].event.has_value()) continue;
    log::Info("consent event recorded", {{"tenant", m.tenant_id()},
                                         {"message_id", m.message_id()},
                                         {"event_id", plans[j].event->event_id()},
                                         {"family", plans[j].family},
                                         {"method", plans[j].method},
                                         {"recipient", log::Phone(m.from())},
                                         {"confirmation", plans[j].reply.has_value()}});
  }
  return out;
}

}  // namespace smsflow::consent::ledger
