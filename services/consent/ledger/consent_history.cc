#include "services/consent/ledger/consent_history.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace smsflow::consent::ledger {
namespace {

const redis::Script& AppendScript() {
  static const redis::Script kScript(R"lua(
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[3]) == 1 then
  redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1])
  return 1
end
return 0
)lua");
  return kScript;
}

int64_t Micros(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000 + t.nanos() / 1000;
}

// Ids read per round trip when filtering by scope.
constexpr int kScanChunk = 500;

}  // namespace

ConsentHistory::ConsentHistory(redis::Pool& pool, std::string prefix)
    : pool_(pool), prefix_(std::move(prefix)) {}

std::string ConsentHistory::IndexKey(const std::string& tenant,
                                     const std::string& recipient) const {
  return absl::StrCat(prefix_, "idx:", tenant, "|", recipient);
}

std::string ConsentHistory::EventsKey(const std::string& tenant,
                                      const std::string& recipient) const {
  return absl::StrCat(prefix_, "ev:", tenant, "|", recipient);
}

absl::Status ConsentHistory::AppendAll(const std::vector<v1::ConsentEvent>& events) {
  if (events.empty()) return absl::OkStatus();
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(events.size());
  for (const v1::ConsentEvent& e : events) {
    calls.push_back(
        {{IndexKey(e.tenant_id(), e.recipient()), EventsKey(e.tenant_id(), e.recipient())},
         {e.event_id(), std::to_string(Micros(e.record_time())), e.SerializeAsString()}});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(AppendScript(), calls);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
  }
  return absl::OkStatus();
}

absl::StatusOr<HistoryPage> ConsentHistory::List(const std::string& tenant_id,
                                                 const std::string& recipient,
                                                 const std::string& sender_scope, int page_size,
                                                 const std::string& page_token) {
  // The token is the position in the recipient's sorted set to continue at;
  // the set only grows at the end (events are scored by record time), so
  // positions stay stable while a client pages.
  int64_t pos = 0;
  if (!page_token.empty()) {
    absl::string_view rest = page_token;
    if (!absl::ConsumePrefix(&rest, "p") || !absl::SimpleAtoi(rest, &pos) || pos < 0) {
      return absl::InvalidArgumentError("page_token: not a token from a previous page");
    }
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  HistoryPage page;
  const std::string index = IndexKey(tenant_id, recipient);
  const std::string events = EventsKey(tenant_id, recipient);
  while (static_cast<int>(page.events.size()) < page_size) {
    const int64_t want = sender_scope.empty() ? page_size - page.events.size() : kScanChunk;
    auto ids =
        (*lease)->Command({"ZRANGE", index, std::to_string(pos), std::to_string(pos + want - 1)});
    if (!ids.ok()) return ids.status();
    if (!ids->IsArray() || ids->elements.empty()) return page;  // no more: last page
    redis::Args hmget = {"HMGET", events};
    for (const redis::Reply& id : ids->elements) hmget.push_back(id.str);
    auto values = (*lease)->Command(hmget);
    if (!values.ok()) return values.status();
    for (size_t i = 0; i < values->elements.size(); ++i) {
      ++pos;
      const redis::Reply& v = values->elements[i];
      v1::ConsentEvent e;
      if (v.IsNil() || !e.ParseFromString(v.str)) continue;
      if (!sender_scope.empty() && e.sender_scope() != sender_scope) continue;
      page.events.push_back(std::move(e));
      if (static_cast<int>(page.events.size()) == page_size) break;
    }
  }
  // A full page: there is a next one if anything follows `pos`.
  auto more = (*lease)->Command({"ZRANGE", index, std::to_string(pos), std::to_string(pos)});
  if (!more.ok()) return more.status();
  if (more->IsArray() && !more->elements.empty()) page.next_page_token = absl::StrCat("p", pos);
  return page;
}

absl::StatusOr<std::vector<std::optional<v1::ConsentEvent>>> ConsentHistory::GetAll(
    const std::vector<EventRef>& refs) {
  std::vector<std::optional<v1::ConsentEvent>> out;
  if (refs.empty()) return out;
  std::vector<redis::Args> cmds;
  cmds.reserve(refs.size());
  for (const EventRef& r : refs)
    cmds.push_back({"HGET", EventsKey(r.tenant_id, r.recipient), r.event_id});
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
    v1::ConsentEvent e;
    if (r.IsNil() || !e.ParseFromString(r.str)) {
      out.emplace_back(std::nullopt);
    } else {
      out.emplace_back(std::move(e));
    }
  }
  return out;
}

}  // namespace smsflow::consent::ledger
