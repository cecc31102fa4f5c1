#include "services/consent/gate/gate_pipeline.h"

#include <chrono>
#include <unordered_map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/log/log.h"
#include "lib/metrics/metrics_server.h"
#include "lib/sms/phone.h"
#include "services/consent/gate/gate_records.h"

namespace smsflow::consent::gate {
namespace {

// Where one message of the batch stands.
struct Work {
  size_t item = 0;
  Decision decision;
  bool decide = true;     // false: a repeat or a retry, nothing to produce
  bool canceled = false;  // releaser: canceled while held
  bool claimed = false;   // owns the message-id claim
  bool compliance_claimed = false;
  bool caps_reserved = false;
  bool failed = false;
  std::string fail_reason;
  std::vector<size_t> records;  // indexes into the batch's records
};

std::string Label(Verdict v, bool scheduled) {
  switch (v) {
    case Verdict::kApprove:
      return "approved";
    case Verdict::kReject:
      return "rejected";
    case Verdict::kDefer:
      return scheduled ? "scheduled" : "deferred";
  }
  return "?";
}

std::string CategoryLabel(v1::Category c) {
  if (c == v1::CATEGORY_UNSPECIFIED || !v1::Category_IsValid(c)) return "unspecified";
  return absl::AsciiStrToLower(v1::Category_Name(c).substr(sizeof("CATEGORY_") - 1));
}

}  // namespace

GatePipeline::GatePipeline(const GateDecider& decider, GateStores stores, kafka::Producer& producer,
                           const Clock& clock, GateMetrics& metrics)
    : decider_(decider), stores_(stores), producer_(producer), clock_(clock), metrics_(metrics) {}

std::vector<ItemResult> GatePipeline::Process(const std::vector<GateItem>& items) {
  const auto started = std::chrono::steady_clock::now();
  const absl::Time now = clock_.Now();
  std::vector<ItemResult> results(items.size());
  std::vector<Work> work;
  work.reserve(items.size());
  bool from_hold = false;
  for (size_t i = 0; i < items.size(); ++i) {
    const v1::OutboundRequest& r = items[i].request;
    if (r.message_id().empty() || r.tenant_id().empty()) {
      results[i] = {ItemOutcome::kInvalid,
                    r.message_id().empty() ? "message_id: required" : "tenant_id: required"};
      continue;
    }
    from_hold = from_hold || items[i].from_hold;
    work.push_back({.item = i});
  }
  auto retry_all = [&](const std::string& what, const absl::Status& st) {
    metrics_.redis_errors.Add({{"operation", what}}).Increment();
    // Redis away, or the consent view lost and being restored (the status
    // says which); retried every few hundred ms, so logged now and then.
    static log::Throttle throttle(absl::Seconds(10));
    if (throttle.Allow()) {
      log::Warn("consent gate: consent state unreadable, batch retried",
                {{"operation", what}, {"status", st}});
    }
    for (Work& w : work)
      results[w.item] = {ItemOutcome::kRetry, absl::StrCat(what, ": ", st.message())};
  };
  auto release_decided = [&](const std::vector<Work*>& failed) {
    std::vector<store::KeyValue> claims, compliance;
    std::vector<CapReservation> caps;
    for (Work* w : failed) {
      const v1::OutboundRequest& r = items[w->item].request;
      if (w->claimed) claims.push_back({r.message_id(), r.message_id()});
      if (w->compliance_claimed) {
        compliance.push_back(
            {absl::StrCat(r.tenant_id(), "|", r.consent_event_id()), r.message_id()});
      }
      if (w->caps_reserved) caps.push_back({r.message_id(), now, w->decision.caps});
    }
    // Best effort: a claim left behind is taken over after its timeout, and a
    // cap slot left behind only errs on the side of sending less.
    if (!caps.empty()) (void)stores_.caps->ReleaseAll(caps);
    if (!compliance.empty()) (void)stores_.compliance_replies->ReleaseAll(compliance);
    if (!claims.empty()) (void)stores_.decided->ReleaseAll(claims);
  };

  // 1. A message id is decided once (new requests), and a held message that
  //    was canceled meanwhile is not released.
  std::vector<Work*> active;
  if (!from_hold) {
    std::vector<store::Claim> claims;
    std::vector<Work*> claimants;
    std::unordered_map<std::string, Work*> first;
    for (Work& w : work) {
      const std::string& id = items[w.item].request.message_id();
      if (!first.emplace(id, &w).second) {
        w.decide = false;  // repeated within the batch: the first one decides
        metrics_.decisions.Add({{"outcome", "duplicate"}, {"reason", ""}, {"category", ""}})
            .Increment();
        continue;
      }
      claims.push_back({id, id});
      claimants.push_back(&w);
    }
    auto claimed = stores_.decided->ClaimAll(claims);
    if (!claimed.ok()) {
      retry_all("claim", claimed.status());
      return results;
    }
    for (size_t j = 0; j < claimants.size(); ++j) {
      Work& w = *claimants[j];
      switch ((*claimed)[j].kind) {
        case store::ClaimResult::Kind::kNew:
        case store::ClaimResult::Kind::kTakenOver:
          w.claimed = true;
          active.push_back(&w);
          break;
        case store::ClaimResult::Kind::kDuplicate:
          w.decide = false;
          metrics_.decisions.Add({{"outcome", "duplicate"}, {"reason", ""}, {"category", ""}})
              .Increment();
          break;
        case store::ClaimResult::Kind::kInFlight:
          w.decide = false;
          results[w.item] = {ItemOutcome::kRetry, "another gate is deciding this message id"};
          break;
      }
    }
  } else {
    std::vector<store::CancelCheck> checks;
    for (Work& w : work) {
      const v1::OutboundRequest& r = items[w.item].request;
      checks.push_back({r.message_id(), r.batch_id()});
    }
    auto canceled = stores_.cancellations->CanceledAll(checks);
    if (!canceled.ok()) {
      retry_all("cancellations", canceled.status());
      return results;
    }
    for (size_t j = 0; j < work.size(); ++j) {
      work[j].canceled = (*canceled)[j];
      active.push_back(&work[j]);
    }
  }

  // 2. Consent of every recipient in one read.
  std::vector<consentview::ConsentKey> keys;
  std::vector<Work*> deciding;
  std::vector<absl::StatusOr<sms::PhoneNumber>> phones;
  for (Work* w : active) {
    if (w->canceled) continue;
    const v1::OutboundRequest& r = items[w->item].request;
    phones.push_back(decider_.ParseRecipient(r.to()));
    keys.push_back(
        {r.tenant_id(), r.sender_scope(), phones.back().ok() ? phones.back()->e164 : r.to()});
    deciding.push_back(w);
  }
  auto states = stores_.consent->GetAll(keys);
  if (!states.ok()) {
    release_decided(active);
    retry_all("consent_view", states.status());
    return results;
  }
  for (size_t j = 0; j < deciding.size(); ++j) {
    const auto& vs = (*states)[j];
    deciding[j]->decision = decider_.Decide(items[deciding[j]->item].request, phones[j],
                                            vs ? &vs->state : nullptr, now);
  }

  // 3. One compliance reply per consent event.
  std::vector<store::Claim> replies;
  std::vector<Work*> repliers;
  for (Work* w : deciding) {
    if (w->decision.verdict != Verdict::kApprove || !w->decision.needs_compliance_claim) continue;
    const v1::OutboundRequest& r = items[w->item].request;
    replies.push_back({absl::StrCat(r.tenant_id(), "|", r.consent_event_id()), r.message_id()});
    repliers.push_back(w);
  }
  if (!replies.empty()) {
    auto claimed = stores_.compliance_replies->ClaimAll(replies);
    if (!claimed.ok()) {
      release_decided(active);
      retry_all("compliance_claim", claimed.status());
      return results;
    }
    for (size_t j = 0; j < repliers.size(); ++j) {
      const store::ClaimResult& c = (*claimed)[j];
      Work& w = *repliers[j];
      // Our own earlier attempt (same message id) is not a second reply.
      if (c.owned() || c.value == replies[j].value) {
        w.compliance_claimed = true;
        continue;
      }
      w.decision.verdict = Verdict::kReject;
      w.decision.reason = v1::REASON_CODE_DUPLICATE_REQUEST;
      w.decision.description = "a compliance reply for this consent event was already sent";
    }
  }

  // 4. Frequency caps, counted only for approvals.
  std::vector<CapReservation> reservations;
  std::vector<Work*> capped;
  for (Work* w : deciding) {
    if (w->decision.verdict != Verdict::kApprove || w->decision.caps.empty()) continue;
    reservations.push_back({items[w->item].request.message_id(), now, w->decision.caps});
    capped.push_back(w);
  }
  if (!reservations.empty()) {
    auto reserved = stores_.caps->ReserveAll(reservations);
    if (!reserved.ok()) {
      release_decided(active);
      retry_all("frequency_caps", reserved.status());
      return results;
    }
    for (size_t j = 0; j < capped.size(); ++j) {
      const int full = (*reserved)[j];
      if (full < 0) {
        capped[j]->caps_reserved = true;
        continue;
      }
      Decision& d = capped[j]->decision;
      const CapCheck& cap = d.caps[full];
      d.verdict = Verdict::kReject;
      d.reason = v1::REASON_CODE_FREQUENCY_CAP;
      d.description = absl::StrCat(cap.rule, ": at most ", cap.limit, " per ",
                                   absl::FormatDuration(cap.window), " reached");
    }
  }

  // 5. Every output in one Kafka batch.
  std::vector<kafka::Record> records;
  for (Work* w : active) {
    const GateItem& item = items[w->item];
    const v1::OutboundRequest& r = item.request;
    const Decision& d = w->decision;
    auto add = [&](kafka::Record rec) {
      w->records.push_back(records.size());
      records.push_back(std::move(rec));
    };
    if (w->canceled) {
      add(EventRecord(r, v1::MESSAGE_STATUS_CANCELED, v1::REASON_CODE_CANCELED_BY_REQUEST,
                      "canceled while held", now));
    } else if (d.verdict == Verdict::kApprove) {
      add(ApprovedRecord(r, d, now, item.held_for_quiet_hours));
      add(EventRecord(r, v1::MESSAGE_STATUS_QUEUED, v1::REASON_CODE_UNSPECIFIED, d.description,
                      now));
    } else if (d.verdict == Verdict::kReject) {
      add(EventRecord(r, v1::MESSAGE_STATUS_REJECTED, d.reason, d.description, now));
    } else {
      add(EventRecord(r, v1::MESSAGE_STATUS_SCHEDULED, d.reason, d.description, now,
                      d.release_time));
      // Journaled with the outputs, so acknowledged before it is held in
      // Redis and before the request's offset is committed (a restore source).
      add(DeferredRecord(r, d.release_time, d.quiet_hours || item.held_for_quiet_hours));
    }
  }
  const auto acks = producer_.SendAll(std::move(records));
  std::vector<HeldMessage> holds;
  std::vector<Work*> holders;
  for (Work* w : active) {
    for (size_t k : w->records) {
      if (!acks[k].ok()) {
        metrics_.produce_errors.Increment();
        w->failed = true;
        w->fail_reason = absl::StrCat("kafka: ", acks[k].status().message());
      }
    }
    if (!w->failed && !w->canceled && w->decision.verdict == Verdict::kDefer) {
      const GateItem& item = items[w->item];
      holds.push_back({item.request, w->decision.release_time,
                       w->decision.quiet_hours || item.held_for_quiet_hours});
      holders.push_back(w);
    }
  }

  // 6. Hold deferred messages (after their SCHEDULED event, so a hold is
  //    never released before it was reported).
  if (auto st = stores_.deferred->HoldAll(holds); !st.ok()) {
    metrics_.redis_errors.Add({{"operation", "hold"}}).Increment();
    for (Work* w : holders) {
      w->failed = true;
      w->fail_reason = absl::StrCat("hold: ", st.message());
    }
  }

  // 7. Settle claims and count.
  std::vector<Work*> failed;
  std::vector<store::KeyValue> done, compliance_done;
  for (Work* w : active) {
    const v1::OutboundRequest& r = items[w->item].request;
    if (w->failed) {
      failed.push_back(w);
      results[w->item] = {ItemOutcome::kRetry, w->fail_reason};
      continue;
    }
    if (w->claimed) done.push_back({r.message_id(), r.message_id()});
    if (w->compliance_claimed) {
      compliance_done.push_back(
          {absl::StrCat(r.tenant_id(), "|", r.consent_event_id()), r.message_id()});
    }
    const Decision& d = w->decision;
    results[w->item].held = !w->canceled && d.verdict == Verdict::kDefer;
    metrics_.decisions
        .Add({{"outcome", w->canceled ? "canceled" : Label(d.verdict, !d.quiet_hours)},
              {"reason", ReasonName(w->canceled ? v1::REASON_CODE_CANCELED_BY_REQUEST : d.reason)},
              {"category", CategoryLabel(r.category())}})
        .Increment();
  }
  if (!failed.empty()) {
    log::Warn("consent gate: outputs not acknowledged, messages retried",
              {{"count", failed.size()}, {"reason", failed.front()->fail_reason}});
    release_decided(failed);
  }
  // Best effort: an unfinished claim is taken over after its timeout and the
  // repeat then reuses the same message id, which downstream deduplicates.
  if (auto st = stores_.decided->CompleteAll(done); !st.ok()) {
    metrics_.redis_errors.Add({{"operation", "complete"}}).Increment();
  }
  if (auto st = stores_.compliance_replies->CompleteAll(compliance_done); !st.ok()) {
    metrics_.redis_errors.Add({{"operation", "compliance_complete"}}).Increment();
  }
  metrics_.batch_latency
      .Add({{"source", from_hold ? "releaser" : "consumer"}}, metrics::LatencyBuckets())
      .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return results;
}

std::vector<absl::Status> GatePipeline::JournalReleases(
    const std::vector<std::string>& message_ids) {
  if (message_ids.empty()) return {};
  std::vector<kafka::Record> records;
  records.reserve(message_ids.size());
  for (const std::string& id : message_ids) records.push_back(ReleasedRecord(id));
  std::vector<absl::Status> out;
  out.reserve(message_ids.size());
  for (const auto& ack : producer_.SendAll(std::move(records))) {
    if (!ack.ok()) metrics_.produce_errors.Increment();
    out.push_back(ack.status());
  }
  return out;
}

}  // namespace smsflow::consent::gate
