// The dispatch loop's work on one group of ready messages of one lane.
//
// Order of the steps, and why:
// 1. Claim first (IdempotencyStore, one round trip). Every outcome this
//    dispatcher may publish (SENT, EXPIRED, CANCELED...) must come from the
//    one owner of the message id, or a redelivered copy of a message that was
//    already sent could be reported EXPIRED. A done claim means "decided":
//    skip and commit.
// 2. Validity, cancellation, opt-out (two round trips, batched). COMPLIANCE
//    replies skip the opt-out check: the opt-out confirmation goes to a
//    recipient who has just opted out.
// 3. Token buckets last, so expired/canceled/opted-out messages take no
//    tokens; one Lua call per (tenant, number) group, all in one pipeline.
// Messages that must wait (rate limit, send time, Redis away) release their
// claim before going back to the lane, so a rebalance never finds a pending
// claim for a message nobody is submitting.
#include "absl/strings/match.h"
#include "lib/log/log.h"
#include "services/sender/dispatch/dispatcher.h"
#include "services/sender/dispatch/events.h"
#include "services/sender/dispatch/validity.h"

namespace smsflow::sender {

void Dispatcher::ProcessGroup(std::vector<ItemPtr> group) {
  const absl::Time now = absl::Now();
  std::vector<store::KeyValue> release;
  std::vector<std::pair<ItemPtr, absl::Time>> hold;
  std::vector<ItemPtr> fresh;
  for (ItemPtr& item : group) {
    if (MarkActive(*item)) {
      fresh.push_back(std::move(item));
    } else {  // a second copy of a message we are handling: let the first decide
      hold.emplace_back(std::move(item), now + options_.inflight_recheck);
    }
  }
  std::vector<store::Claim> claims;
  claims.reserve(fresh.size());
  const std::string mine = options_.instance_id + "|";
  for (const ItemPtr& item : fresh) {
    claims.push_back({item->id(), mine + std::to_string(++claim_seq_)});
  }
  absl::StatusOr<std::vector<store::ClaimResult>> results = std::vector<store::ClaimResult>();
  if (!claims.empty()) results = deps_.claims->ClaimAll(claims);
  if (!results.ok()) {
    deps_.metrics->RedisError("claim");
    for (ItemPtr& item : fresh) hold.emplace_back(std::move(item), now + options_.redis_backoff);
    fresh.clear();
  }
  std::vector<ItemPtr> owned;
  for (size_t i = 0; i < fresh.size(); ++i) {
    ItemPtr& item = fresh[i];
    const store::ClaimResult& r = (*results)[i];
    switch (r.kind) {
      case store::ClaimResult::Kind::kDuplicate:
        FinishItem(std::move(item), kafka::Outcome::kDone, "duplicate");
        break;
      case store::ClaimResult::Kind::kInFlight:
        if (absl::StartsWith(r.value, mine)) {
          // Our own claim whose release failed earlier (Redis was away): the
          // active set says nothing of ours is submitting it, so we own it.
          item->claim_value = r.value;
          owned.push_back(std::move(item));
        } else {
          hold.emplace_back(std::move(item), now + options_.inflight_recheck);
        }
        break;
      case store::ClaimResult::Kind::kTakenOver: {
        // The previous owner went silent with the claim pending: it may or
        // may not have submitted. Ask the carrier; never guess "not sent".
        item->claim_value = r.value;
        auto found = carrier_->LookupByReference(item->id());
        if (!found.ok() && absl::IsUnimplemented(found.status())) {
          PushWork(Work{Work::Kind::kAnswer, std::move(item), {}, true, true});
        } else if (!found.ok()) {
          // Unknown: keep the (retaken) claim pending and look again after
          // the next takeover.
          log::Warn("carrier lookup failed",
                    {{"message_id", item->id()}, {"error", found.status()}});
          hold.emplace_back(std::move(item), now + options_.inflight_recheck);
        } else if (found->has_value()) {
          PushWork(Work{Work::Kind::kAnswer, std::move(item), std::move(**found), true, false});
        } else {
          owned.push_back(std::move(item));  // nothing accepted under it: send now
        }
        break;
      }
      case store::ClaimResult::Kind::kNew:
        item->claim_value = claims[i].value;
        owned.push_back(std::move(item));
        break;
    }
  }
  CheckAndLimit(std::move(owned), &release, &hold);
  if (!release.empty() && !deps_.claims->ReleaseAll(release).ok()) {
    deps_.metrics->RedisError("release");  // recognised as our own claim next time
  }
  for (auto& [item, at] : hold) Requeue(std::move(item), at);
}

void Dispatcher::CheckAndLimit(std::vector<ItemPtr> owned, std::vector<store::KeyValue>* release,
                               std::vector<std::pair<ItemPtr, absl::Time>>* hold) {
  const absl::Time now = absl::Now();
  auto wait = [&](ItemPtr item, absl::Time at) {
    release->push_back({item->id(), item->claim_value});
    hold->emplace_back(std::move(item), at);
  };
  auto wait_all = [&](std::vector<ItemPtr>& items, absl::Time at) {
    for (ItemPtr& item : items) wait(std::move(item), at);
    items.clear();
  };
  std::vector<ItemPtr> live;
  for (ItemPtr& item : owned) {
    const Validity v = CheckValidity(item->approved, now);
    if (v.state == Validity::State::kExpired) {
      deps_.metrics->lane(item->lane).expirations->Increment();
      Terminal(std::move(item), v1::MESSAGE_STATUS_EXPIRED, v1::REASON_CODE_VALIDITY_EXPIRED,
               v.description, "expired");
      continue;
    }
    if (v.state == Validity::State::kNotYet) {
      wait(std::move(item), v.not_before);
      continue;
    }
    item->from = ChooseFrom(item->approved.request());
    if (item->from.empty()) {
      Terminal(std::move(item), v1::MESSAGE_STATUS_REJECTED, v1::REASON_CODE_SENDER_NOT_ALLOWED,
               "no sending number for the requested sender pool", "sender_not_allowed");
      continue;
    }
    live.push_back(std::move(item));
  }
  if (live.empty()) return;

  std::vector<store::CancelCheck> checks;
  std::vector<consentview::ConsentKey> keys;
  for (const ItemPtr& item : live) {
    const v1::OutboundRequest& req = item->approved.request();
    checks.push_back({req.message_id(), req.batch_id()});
    keys.push_back({req.tenant_id(), req.sender_scope(), req.to()});
  }
  // Without either answer nothing may be sent: hold the group and retry.
  // The metric counts every retry; the log says why, once in a while.
  static log::Throttle hold_warnings(absl::Seconds(10));
  auto canceled = deps_.cancellations->CanceledAll(checks);
  if (!canceled.ok()) {
    deps_.metrics->RedisError("cancellations");
    if (hold_warnings.Allow()) {
      log::Warn("cancellation marks unreadable; holding messages",
                {{"status", canceled.status()}, {"messages", live.size()}});
    }
    return wait_all(live, now + options_.redis_backoff);
  }
  auto opted_out = deps_.consent->OptedOutAll(keys);
  if (!opted_out.ok()) {
    // Redis away, or the consent view lost and being restored from the ledger.
    deps_.metrics->RedisError("consent_view");
    if (hold_warnings.Allow()) {
      log::Warn("consent view unreadable; holding messages",
                {{"status", opted_out.status()}, {"messages", live.size()}});
    }
    return wait_all(live, now + options_.redis_backoff);
  }
  std::vector<ItemPtr> sendable;
  for (size_t i = 0; i < live.size(); ++i) {
    const bool compliance = live[i]->approved.request().category() == v1::CATEGORY_COMPLIANCE;
    if ((*canceled)[i]) {
      Terminal(std::move(live[i]), v1::MESSAGE_STATUS_CANCELED, v1::REASON_CODE_CANCELED_BY_REQUEST,
               "canceled before submission", "canceled");
    } else if ((*opted_out)[i] && !compliance) {
      Terminal(std::move(live[i]), v1::MESSAGE_STATUS_REJECTED, v1::REASON_CODE_RECIPIENT_OPTED_OUT,
               "recipient opted out after approval; not submitted", "opted_out");
    } else {
      sendable.push_back(std::move(live[i]));
    }
  }
  if (sendable.empty()) return;

  // One Lua call per (tenant, number) group, in first-appearance order.
  std::vector<std::vector<ItemPtr>> groups;
  std::map<std::string, size_t> group_of;
  for (ItemPtr& item : sendable) {
    const std::string key =
        deps_.policy->GroupKey(item->approved.request().tenant_id(), item->from);
    auto [it, inserted] = group_of.try_emplace(key, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(std::move(item));
  }
  std::vector<LimitRequest> requests;
  for (const auto& g : groups) {
    LimitRequest r = deps_.policy->For(g.front()->approved.request().tenant_id(), g.front()->from);
    for (const ItemPtr& item : g) r.segments.push_back(item->approved.request().segments());
    requests.push_back(std::move(r));
  }
  auto grants = deps_.limiter->AcquireAll(requests);
  if (!grants.ok()) {
    // Never send without a grant: wait for Redis.
    deps_.metrics->RedisError("rate_limit");
    for (auto& g : groups) wait_all(g, now + options_.redis_backoff);
    return;
  }
  std::vector<ItemPtr> submit;
  for (size_t g = 0; g < groups.size(); ++g) {
    const GrantResult& grant = (*grants)[g];
    deps_.metrics->ratelimit_grants().Increment(grant.granted);
    if (static_cast<size_t>(grant.granted) < groups[g].size()) {
      deps_.metrics->ratelimit_waits().Increment();
      if (grant.daily_cap_reached) deps_.metrics->ratelimit_daily_cap().Increment();
    }
    for (size_t i = 0; i < groups[g].size(); ++i) {
      ItemPtr& item = groups[g][i];
      if (static_cast<int>(i) < grant.granted) {
        submit.push_back(std::move(item));
      } else {
        deps_.metrics->lane(item->lane).throttled_waits->Increment();
        wait(std::move(item), now + absl::Milliseconds(std::max<int64_t>(1, grant.wait_ms)));
      }
    }
  }
  SubmitAll(std::move(submit));
}

void Dispatcher::SubmitAll(std::vector<ItemPtr> items) {
  const absl::Time now = absl::Now();
  for (ItemPtr& item : items) {
    const v1::OutboundRequest& req = item->approved.request();
    item->attempt += 1;
    v1::DeliveryEvent sending =
        MessageEvent(item->approved, item->from, v1::MESSAGE_STATUS_SENDING, now);
    sending.set_attempt(item->attempt);
    sending.set_provider(carrier_->provider());
    FireAndForget(sending);
    LaneMetrics& lm = deps_.metrics->lane(item->lane);
    if (item->attempt == 1 && item->approved.has_approve_time()) {
      lm.dispatch_latency->Observe(
          absl::ToDoubleSeconds(now - ToAbslTime(item->approved.approve_time())));
    }
    lm.segments_sent->Increment(std::max(1, req.segments()));
    Submission s;
    s.message_id = req.message_id();
    s.tenant_id = req.tenant_id();
    s.from = item->from;
    s.to = req.to();
    s.body = req.body();
    s.encoding = req.encoding();
    s.parts = std::max(1, req.segments());
    s.attempt = item->attempt;
    submitting_ += 1;
    deps_.metrics->in_flight().Increment();
    auto holder = std::make_shared<ItemPtr>(std::move(item));
    carrier_->Submit(std::move(s), [this, holder](SubmitResult result) {
      submitting_ -= 1;
      deps_.metrics->in_flight().Decrement();
      window_cv_.notify_all();
      PushWork(Work{Work::Kind::kAnswer, std::move(*holder), std::move(result)});
    });
  }
}

std::string Dispatcher::ChooseFrom(const v1::OutboundRequest& request) const {
  if (!request.from().empty()) return request.from();
  if (deps_.tenants == nullptr) return "";
  const config::Tenant* tenant = deps_.tenants->FindTenant(request.tenant_id());
  if (tenant == nullptr) return "";
  // A pool is the tenant's numbers of one scope; the recipient always gets
  // the same number of it (sticky sender), so a conversation stays on one.
  std::vector<const config::Number*> pool;
  for (const config::Number& n : tenant->numbers) {
    if (n.scope == request.sender_pool()) pool.push_back(&n);
  }
  if (pool.empty()) return "";
  return pool[std::hash<std::string>{}(request.to()) % pool.size()]->number;
}

}  // namespace smsflow::sender
