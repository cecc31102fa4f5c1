// ConsentServiceImpl::Publish: the write path shared by GrantConsent and
// RevokeConsent (idempotency, the ledger append, the optional confirmation,
// waiting for the view).
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "lib/consent_view/consent_state.h"
#include "lib/kafka/proto_handler.h"
#include "lib/kafka/record.h"
#include "lib/log/log.h"
#include "lib/sms/message_id.h"
#include "services/consent/ledger/consent_service.h"
#include "services/consent/ledger/derived_ids.h"
#include "services/consent/ledger/inbound_plan.h"

namespace smsflow::consent::ledger {
namespace {}  // namespace

absl::Status ConsentServiceImpl::Publish(Append& a, v1::ConsentEvent* event,
                                         v1::ConsentState* state) {
  const absl::Time now = options_.clock();
  const consentview::ConsentKey key = consentview::KeyOf(a.events[0]);
  std::string idem_key;
  if (!a.idempotency_key.empty()) {
    if (a.idempotency_key.size() > 256) {
      return absl::InvalidArgumentError("idempotency_key: longer than 256 bytes");
    }
    idem_key =
        absl::StrCat(options_.idempotency_prefix, a.tenant_id, "|", a.rpc, "|", a.idempotency_key);
    auto lease = pool_.Acquire();
    if (!lease.ok()) return lease.status();
    auto seen = (*lease)->Command({"GET", idem_key});
    if (!seen.ok()) return seen.status();
    if (seen->IsString() && event->ParseFromString(seen->str)) {
      // A repeat: the original result, nothing recorded.
      auto states = view_.GetAll({consentview::KeyOf(*event)});
      if (states.ok() && (*states)[0].has_value()) *state = (*states)[0]->state;
      return absl::OkStatus();
    }
  }
  // Ids: derived from the idempotency key when there is one, so two racing
  // repeats append the same event id (the history and view dedupe by id).
  a.events[0].set_event_id(idem_key.empty() ? sms::NewMessageId()
                                            : DerivedId("consent-api", idem_key, now));
  for (size_t i = 1; i < a.events.size(); ++i) {
    a.events[i].set_event_id(DerivedId("consent-api-follow", a.events[0].event_id(), now));
  }
  std::vector<kafka::Record> records;
  if (!a.confirmation_body.empty()) {
    const config::Tenant* tenant = tenants_->FindTenant(a.tenant_id);
    std::string from;
    for (const config::Number& n : tenant->numbers) {
      if (n.scope == key.sender_scope) {
        from = n.number;
        break;
      }
    }
    const std::string reply_id = DerivedId(kReplyPurpose, a.events[0].event_id(), now);
    a.events[0].set_confirmation_message_id(reply_id);
    v1::OutboundRequest reply =
        ConfirmationRequest(a.events[0], from, a.confirmation_body, reply_id, now);
    reply.set_requested_by(a.events[0].proof().recorded_by());
    records.push_back(kafka::ProtoRecord(options_.outbound_topic,
                                         absl::StrCat(reply.tenant_id(), "|", reply.to()), reply));
  }
  for (const v1::ConsentEvent& e : a.events) {
    records.insert(records.begin() + (&e - a.events.data()),
                   kafka::ProtoRecord(options_.consent_topic, consentview::RecordKeyOf(e), e));
  }
  auto acks = producer_.SendAll(std::move(records));
  int64_t last_offset = -1;
  for (size_t i = 0; i < acks.size(); ++i) {
    if (!acks[i].ok()) {
      metrics_.failures.Add({{"operation", "publish"}}).Increment();
      return absl::UnavailableError(
          absl::StrCat("kafka: the ledger event was not acknowledged, retry: ",
                       std::string(acks[i].status().message())));
    }
    if (i < a.events.size()) last_offset = std::max(last_offset, acks[i]->offset);
  }
  metrics_.api_events.Add({{"rpc", a.rpc}}).Increment();
  *event = a.events[0];
  log::Info("consent event appended", {{"tenant", a.tenant_id},
                                       {"event_id", event->event_id()},
                                       {"rpc", a.rpc},
                                       {"recipient", log::Phone(key.recipient)}});
  if (!idem_key.empty()) {
    auto lease = pool_.Acquire();
    if (lease.ok()) {
      auto set =
          (*lease)->Command({"SET", idem_key, event->SerializeAsString(), "NX", "PX",
                             std::to_string(absl::ToInt64Milliseconds(options_.idempotency_ttl))});
      if (!set.ok()) log::Warn("idempotency key not stored", {{"status", set.status()}});
    }
  }
  // The answer's state: the view once the applier has folded the event in;
  // if that takes longer than apply_wait, the view's state with the events
  // folded over it here (what the applier will write).
  const absl::Time deadline = absl::Now() + options_.apply_wait;
  std::optional<consentview::VersionedState> current;
  while (true) {
    auto states = view_.GetAll({key});
    if (states.ok()) current = (*states)[0];
    if (current.has_value() && current->version >= last_offset) {
      *state = current->state;
      return absl::OkStatus();
    }
    if (absl::Now() >= deadline) break;
    absl::SleepFor(absl::Milliseconds(10));  // waiting for another consumer; no event to wait on
  }
  if (current.has_value()) *state = current->state;
  for (const v1::ConsentEvent& e : a.events) consentview::ApplyEvent(e, state);
  return absl::OkStatus();
}

}  // namespace smsflow::consent::ledger
