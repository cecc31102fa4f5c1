// The completion thread: carrier answers become status events; acknowledged
// final events complete the idempotency claim; then the message's offset may
// be committed. Redis and Kafka calls are batched over everything that is due.
//
// Invariants, and why:
// - The provider-id index is written BEFORE the SENT events are published,
//   so a receipt that follows an event never misses its index entry.
// - A claim is completed only after the final event was acknowledged: a
//   crash before that leaves it pending, and the next owner reconciles with
//   the carrier instead of submitting again.
// - An event Kafka did not acknowledge is published again (same event ids;
//   consumers deduplicate) until it is; the decision itself is never redone.
#include <random>

#include "lib/log/log.h"
#include "services/sender/dispatch/dispatcher.h"
#include "services/sender/dispatch/events.h"
#include "services/sender/dispatch/validity.h"

namespace smsflow::sender {

void Dispatcher::PushWork(Work work) {
  {
    std::lock_guard lock(work_mu_);
    work_.push_back(std::move(work));
  }
  work_cv_.notify_one();
}

void Dispatcher::CompletionLoop() {
  std::vector<Work> later;  // waiting for their `at`
  while (true) {
    std::vector<Work> due;
    {
      std::unique_lock lock(work_mu_);
      if (work_.empty() && !work_stop_) {
        work_cv_.wait_for(
            lock, later.empty() ? std::chrono::milliseconds(500) : std::chrono::milliseconds(20));
      }
      if (work_stop_) break;
      while (!work_.empty()) {
        due.push_back(std::move(work_.front()));
        work_.pop_front();
      }
    }
    const absl::Time now = absl::Now();
    for (auto it = later.begin(); it != later.end();) {
      if (it->at <= now) {
        due.push_back(std::move(*it));
        it = later.erase(it);
      } else {
        ++it;
      }
    }
    if (crashed_) continue;  // a dead process does nothing
    std::vector<Work> answers, acked;
    for (Work& w : due) {
      switch (w.kind) {
        case Work::Kind::kAnswer:
          answers.push_back(std::move(w));
          break;
        case Work::Kind::kAcked:
          acked.push_back(std::move(w));
          break;
        case Work::Kind::kPublish:
          Publish(std::move(w.item), std::move(w.events), std::move(w.outcome));
          break;
      }
    }
    if (!answers.empty()) HandleAnswers(std::move(answers), &later);
    if (!acked.empty()) HandleAcked(std::move(acked), &later);
  }
}

void Dispatcher::HandleAnswers(std::vector<Work> answers, std::vector<Work>* later) {
  const absl::Time now = absl::Now();
  std::vector<std::pair<store::ProviderRef, store::ProviderIdEntry>> entries;
  for (const Work& w : answers) {
    const v1::OutboundRequest& req = w.item->approved.request();
    const int parts = static_cast<int>(w.result.parts.size());
    for (const PartResult& p : w.result.parts) {
      if (p.error != ErrorKind::kNone || p.provider_message_id.empty()) continue;
      entries.push_back(
          {{carrier_->provider(), p.provider_message_id},
           {req.message_id(), req.tenant_id(), parts > 1 ? p.part_number : 0, parts}});
    }
  }
  if (!entries.empty() && !deps_.provider_ids->PutAll(entries).ok()) {
    deps_.metrics->RedisError("provider_index");
    for (Work& w : answers) {
      w.at = now + options_.redis_backoff;
      later->push_back(std::move(w));
    }
    return;
  }
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<store::KeyValue> release;
  std::vector<std::pair<ItemPtr, absl::Time>> retry;
  for (Work& w : answers) {
    ItemPtr item = std::move(w.item);
    const std::string& provider = carrier_->provider();
    if (w.presumed) {
      v1::DeliveryEvent e = MessageEvent(item->approved, item->from, v1::MESSAGE_STATUS_SENT, now);
      e.set_provider(provider);
      e.set_description(
          "presumed submitted: an earlier dispatcher stopped mid-submission and the carrier "
          "cannot be asked; not sent again");
      Publish(std::move(item), {e}, "reconciled");
      continue;
    }
    const int parts = static_cast<int>(w.result.parts.size());
    bool any_accepted = false, any_permanent = false, any_throttled = false;
    std::string code;
    for (const PartResult& p : w.result.parts) {
      if (p.error == ErrorKind::kNone) any_accepted = true;
      if (p.error == ErrorKind::kPermanent) any_permanent = true;
      if (p.error == ErrorKind::kThrottled) any_throttled = true;
      if (p.error != ErrorKind::kNone && code.empty()) code = p.error_code;
    }
    if (any_throttled) PauseCarrier(*item, code);
    if (any_accepted || parts == 0) {
      // Accepted (possibly only some parts of a multipart message): never
      // submitted again; failed parts are reported as such.
      std::vector<v1::DeliveryEvent> events;
      for (const PartResult& p : w.result.parts) {
        const bool ok = p.error == ErrorKind::kNone;
        v1::DeliveryEvent e =
            MessageEvent(item->approved, item->from,
                         ok ? v1::MESSAGE_STATUS_SENT : v1::MESSAGE_STATUS_FAILED, now);
        e.set_provider(provider);
        e.set_provider_message_id(p.provider_message_id);
        e.set_part_number(parts > 1 ? p.part_number : 0);
        e.set_part_count(parts);
        e.set_attempt(item->attempt);
        if (w.reconciled)
          e.set_description("reconciled with the carrier after a dispatcher takeover");
        if (!ok) {
          e.set_reason_code(v1::REASON_CODE_CARRIER_PERMANENT_ERROR);
          e.set_carrier_error_code(p.error_code);
          e.set_description(p.error_text);
          deps_.metrics->CarrierError(item->lane, p.error_code);
        }
        events.push_back(std::move(e));
      }
      Publish(std::move(item), std::move(events), w.reconciled ? "reconciled" : "sent");
      continue;
    }
    deps_.metrics->CarrierError(item->lane, code.empty() ? "unknown" : code);
    const RetryDecision d =
        retry_.Decide(item->attempt, any_permanent ? ErrorKind::kPermanent : ErrorKind::kTransient,
                      now, ExpireTimeOf(item->approved), unit(rng));
    if (d.action == RetryDecision::Action::kRetry) {
      deps_.metrics->lane(item->lane).retries->Increment();
      v1::DeliveryEvent e =
          MessageEvent(item->approved, item->from, v1::MESSAGE_STATUS_SENDING, now);
      e.set_provider(provider);
      e.set_attempt(item->attempt);
      e.set_carrier_error_code(code);
      e.set_description("transient carrier error; will retry");
      *e.mutable_next_attempt_time() = ToProtoTime(d.retry_at);
      FireAndForget(e);
      release.push_back({item->id(), item->claim_value});
      retry.emplace_back(std::move(item), d.retry_at);
      continue;
    }
    v1::DeliveryEvent e =
        MessageEvent(item->approved, item->from,
                     d.action == RetryDecision::Action::kExpire ? v1::MESSAGE_STATUS_EXPIRED
                                                                : v1::MESSAGE_STATUS_FAILED,
                     now);
    e.set_provider(provider);
    e.set_attempt(item->attempt);
    e.set_carrier_error_code(code);
    std::string outcome = "failed";
    if (d.action == RetryDecision::Action::kExpire) {
      e.set_reason_code(v1::REASON_CODE_VALIDITY_EXPIRED);
      e.set_description("validity ends before the next retry");
      deps_.metrics->lane(item->lane).expirations->Increment();
      outcome = "expired";
    } else if (d.exhausted) {
      e.set_reason_code(v1::REASON_CODE_RETRIES_EXHAUSTED);
      e.set_description("transient carrier errors on every attempt");
    } else {
      e.set_reason_code(v1::REASON_CODE_CARRIER_PERMANENT_ERROR);
      e.set_description("carrier refused the message");
    }
    Publish(std::move(item), {e}, outcome);
  }
  if (!release.empty() && !deps_.claims->ReleaseAll(release).ok()) {
    deps_.metrics->RedisError("release");
  }
  for (auto& [item, at] : retry) Requeue(std::move(item), at);
}

void Dispatcher::HandleAcked(std::vector<Work> acked, std::vector<Work>* later) {
  const absl::Time now = absl::Now();
  std::vector<Work> done;
  std::vector<store::KeyValue> complete;
  for (Work& w : acked) {
    if (!w.ok) {
      w.kind = Work::Kind::kPublish;
      w.at = now + options_.produce_retry;
      later->push_back(std::move(w));
      continue;
    }
    complete.push_back({w.item->id(), w.item->claim_value});
    done.push_back(std::move(w));
  }
  if (done.empty()) return;
  if (!deps_.claims->CompleteAll(complete).ok()) {
    deps_.metrics->RedisError("complete");
    for (Work& w : done) {
      w.at = now + options_.redis_backoff;
      later->push_back(std::move(w));
    }
    return;
  }
  for (Work& w : done) FinishItem(std::move(w.item), kafka::Outcome::kDone, w.outcome);
}

void Dispatcher::Publish(ItemPtr item, std::vector<v1::DeliveryEvent> events, std::string outcome) {
  if (crashed_) return;
  struct State {
    std::mutex mu;
    size_t remaining;
    bool ok = true;
    Work work;
  };
  auto state = std::make_shared<State>();
  state->remaining = events.size();
  std::vector<kafka::Record> records;
  for (const v1::DeliveryEvent& e : events) records.push_back(EventRecord(e));
  state->work = Work{Work::Kind::kAcked, std::move(item),   {}, false, false, true,
                     std::move(events),  std::move(outcome)};
  if (records.empty()) {
    PushWork(std::move(state->work));
    return;
  }
  for (kafka::Record& r : records) {
    deps_.producer->Send(std::move(r), [this, state](absl::StatusOr<kafka::Delivered> d) {
      std::lock_guard lock(state->mu);
      if (!d.ok()) state->ok = false;
      if (--state->remaining > 0) return;
      state->work.ok = state->ok;
      PushWork(std::move(state->work));
    });
  }
}

void Dispatcher::Terminal(ItemPtr item, v1::MessageStatus status, v1::ReasonCode reason,
                          std::string description, std::string outcome) {
  v1::DeliveryEvent e = MessageEvent(item->approved, item->from, status, absl::Now());
  e.set_reason_code(reason);
  e.set_description(std::move(description));
  e.set_attempt(item->attempt);
  std::vector<v1::DeliveryEvent> events;
  events.push_back(std::move(e));
  Publish(std::move(item), std::move(events), std::move(outcome));
}

void Dispatcher::PauseCarrier(const DispatchItem& item, const std::string& code) {
  deps_.metrics->carrier_pauses().Increment();
  const LimitRequest limits = deps_.policy->For(item.approved.request().tenant_id(), item.from);
  // Best effort: if Redis is away nothing is granted anyway.
  const absl::Status paused = deps_.limiter->Pause(limits.pause_keys, options_.throttle_pause);
  static log::Throttle throttle(absl::Seconds(10));
  if (throttle.Allow()) {
    log::Warn("carrier asked to slow down; connection paused",
              {{"provider", carrier_->provider()},
               {"code", code},
               {"pause_ms", absl::ToInt64Milliseconds(options_.throttle_pause)},
               {"status", paused}});
  }
}

void Dispatcher::FireAndForget(const v1::DeliveryEvent& event) {
  // Progress events (SENDING) are informative; the final event of the
  // message is the one that must be acknowledged before the commit.
  deps_.producer->Send(EventRecord(event), [id = event.message_id()](auto d) {
    if (!d.ok())
      log::Warn("progress event not published", {{"message_id", id}, {"error", d.status()}});
  });
}

}  // namespace smsflow::sender
