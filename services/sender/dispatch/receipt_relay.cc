// Delivery receipts from the carrier connection become DeliveryEvents
// (DELIVERED / UNDELIVERED / ...) matched to their message through the
// provider-id index, which the completion thread writes before the SENT
// event. A receipt can still overtake its index write (the carrier answers
// and sends receipts on its own schedule), so a miss is looked up again a few
// times before the receipt is published as unmatched (kept, never dropped).
#include "lib/log/log.h"
#include "lib/sms/message_id.h"
#include "services/sender/dispatch/dispatcher.h"
#include "services/sender/dispatch/events.h"
#include "services/sender/dispatch/validity.h"

namespace smsflow::sender {

void Dispatcher::OnReceipt(Receipt receipt) {
  {
    std::lock_guard lock(receipts_mu_);
    if (receipts_stop_) return;
    receipts_.emplace_back(std::move(receipt), 0);
  }
  receipts_cv_.notify_one();
}

void Dispatcher::ReceiptLoop() {
  struct Pending {
    Receipt receipt;
    int tries;
    absl::Time at;
  };
  std::vector<Pending> waiting;
  bool last_round = false;
  while (!last_round) {
    {
      std::unique_lock lock(receipts_mu_);
      if (receipts_.empty() && !receipts_stop_) {
        receipts_cv_.wait_for(
            lock, waiting.empty() ? std::chrono::milliseconds(500) : std::chrono::milliseconds(50));
      }
      last_round = receipts_stop_;
      const absl::Time now = absl::Now();
      for (auto& [r, tries] : receipts_) waiting.push_back({std::move(r), tries, now});
      receipts_.clear();
    }
    if (crashed_) return;
    const absl::Time now = absl::Now();
    std::vector<Pending> due;
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (it->at <= now || last_round) {
        due.push_back(std::move(*it));
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    if (due.empty()) continue;
    const std::string& provider = carrier_->provider();
    std::vector<store::ProviderRef> refs;
    for (const Pending& p : due) refs.push_back({provider, p.receipt.provider_message_id});
    auto found = deps_.provider_ids->LookupAll(refs);
    if (!found.ok()) {
      deps_.metrics->RedisError("receipt_match");
      for (Pending& p : due)
        waiting.push_back({std::move(p.receipt), p.tries, now + options_.redis_backoff});
      continue;
    }
    std::vector<v1::DeliveryEvent> events;
    std::vector<Pending> sent;
    for (size_t i = 0; i < due.size(); ++i) {
      Pending& p = due[i];
      const auto& entry = (*found)[i];
      if (!entry && p.tries < options_.unmatched_receipt_retries && !last_round) {
        waiting.push_back(
            {std::move(p.receipt), p.tries + 1, now + absl::Milliseconds(200) * (p.tries + 1)});
        continue;
      }
      const ReceiptStatus st = MapReceiptState(p.receipt.state);
      v1::DeliveryEvent e;
      e.set_event_id(sms::NewMessageId());
      e.set_status(st.status);
      e.set_reason_code(st.reason);
      e.set_receipt_state(p.receipt.state);
      e.set_carrier_error_code(p.receipt.error_code);
      e.set_provider(provider);
      e.set_provider_message_id(p.receipt.provider_message_id);
      *e.mutable_event_time() = ToProtoTime(now);
      if (p.receipt.done_time != absl::Time()) {
        *e.mutable_provider_time() = ToProtoTime(p.receipt.done_time);
      }
      e.set_reporter(kReporter);
      if (entry) {
        e.set_message_id(entry->message_id);
        e.set_tenant_id(entry->tenant_id);
        e.set_part_number(entry->part_number);
        e.set_part_count(entry->part_count);
      } else {
        e.set_unmatched(true);
      }
      deps_.metrics->Receipt(entry ? "matched" : "unmatched");
      events.push_back(std::move(e));
      sent.push_back(std::move(p));
    }
    if (events.empty()) continue;
    std::vector<kafka::Record> records;
    for (const auto& e : events) records.push_back(EventRecord(e));
    auto results = deps_.producer->SendAll(std::move(records));
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok() || last_round) continue;
      // Not stored: try again (a receipt is not replayed by the carrier).
      deps_.metrics->Receipt("failed");
      waiting.push_back({std::move(sent[i].receipt), sent[i].tries, now + options_.produce_retry});
    }
  }
  if (!waiting.empty()) {
    log::Warn("receipts not published at shutdown", {{"count", waiting.size()}});
  }
}

}  // namespace smsflow::sender
