#include "services/consent/gate/deferred_store.h"

namespace smsflow::consent::gate {
namespace {

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

// KEYS: due, claimed, payload. ARGV: triples of release_ms, id, payload.
const redis::Script& HoldScript() {
  static const redis::Script kScript(R"lua(
for i = 1, #ARGV, 3 do
  local id = ARGV[i + 1]
  redis.call('HSET', KEYS[3], id, ARGV[i + 2])
  redis.call('ZADD', KEYS[1], ARGV[i], id)
  redis.call('ZREM', KEYS[2], id)
end
return #ARGV / 3
)lua");
  return kScript;
}

// KEYS: due, claimed, payload. ARGV: now_ms, lease_deadline_ms, limit.
// Returns a flat array of id, payload, release_ms. Stale claims (their
// owner's lease ended) are taken first; their release time is unknown after
// the claim, so it is reported as now.
const redis::Script& ClaimScript() {
  static const redis::Script kScript(R"lua(
local now, lease, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local out = {}
local function take(id, release)
  local p = redis.call('HGET', KEYS[3], id)
  if p then
    redis.call('ZADD', KEYS[2], lease, id)
    table.insert(out, id); table.insert(out, p); table.insert(out, release)
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
local stale = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
for _, id in ipairs(stale) do take(id, now) end
local room = limit - #stale
if room > 0 then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, room)
  for i = 1, #due, 2 do
    redis.call('ZREM', KEYS[1], due[i])
    take(due[i], due[i + 1])
  end
end
return out
)lua");
  return kScript;
}

// KEYS: due, claimed, payload. ARGV: ids.
const redis::Script& AckScript() {
  static const redis::Script kScript(R"lua(
for _, id in ipairs(ARGV) do
  redis.call('ZREM', KEYS[2], id)
  if not redis.call('ZSCORE', KEYS[1], id) then redis.call('HDEL', KEYS[3], id) end
end
return #ARGV
)lua");
  return kScript;
}

}  // namespace

DeferredStore::DeferredStore(redis::Pool& pool, std::string prefix)
    : pool_(pool),
      due_(prefix + "due"),
      claimed_(prefix + "claimed"),
      payload_(prefix + "payload") {}

absl::Status DeferredStore::HoldAll(const std::vector<HeldMessage>& messages) {
  if (messages.empty()) return absl::OkStatus();
  redis::Args args;
  args.reserve(messages.size() * 3);
  for (const HeldMessage& m : messages) {
    args.push_back(std::to_string(Ms(m.release_time)));
    args.push_back(m.request.message_id());
    args.push_back(std::string(m.quiet_hours ? "q|" : "s|") + m.request.SerializeAsString());
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(HoldScript(), {due_, claimed_, payload_}, args);
  return reply.ok() ? absl::OkStatus() : reply.status();
}

absl::StatusOr<std::vector<HeldMessage>> DeferredStore::ClaimDue(
    absl::Time now, absl::Duration lease_for, int limit, std::vector<std::string>* malformed) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(
      ClaimScript(), {due_, claimed_, payload_},
      {std::to_string(Ms(now)), std::to_string(Ms(now + lease_for)), std::to_string(limit)});
  if (!reply.ok()) return reply.status();
  if (!reply->IsArray() || reply->elements.size() % 3 != 0) {
    return absl::InternalError("deferred store: unexpected reply " + reply->DebugString());
  }
  std::vector<HeldMessage> out;
  for (size_t i = 0; i < reply->elements.size(); i += 3) {
    const std::string& id = reply->elements[i].str;
    const std::string& value = reply->elements[i + 1].str;
    int64_t release_ms = 0;
    const redis::Reply& r = reply->elements[i + 2];
    release_ms = r.IsInteger() ? r.integer : std::atoll(r.str.c_str());
    HeldMessage m;
    m.release_time = absl::FromUnixMillis(release_ms);
    if (value.size() < 2 || value[1] != '|' ||
        !m.request.ParseFromArray(value.data() + 2, static_cast<int>(value.size() - 2))) {
      if (malformed != nullptr) malformed->push_back(id);
      continue;
    }
    m.quiet_hours = value[0] == 'q';
    out.push_back(std::move(m));
  }
  return out;
}

absl::Status DeferredStore::Ack(const std::vector<std::string>& message_ids) {
  if (message_ids.empty()) return absl::OkStatus();
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(AckScript(), {due_, claimed_, payload_}, message_ids);
  return reply.ok() ? absl::OkStatus() : reply.status();
}

absl::StatusOr<int64_t> DeferredStore::Size() {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->Pipeline({{"ZCARD", due_}, {"ZCARD", claimed_}});
  if (!replies.ok()) return replies.status();
  int64_t n = 0;
  for (const redis::Reply& r : *replies) {
    if (!r.IsInteger()) return absl::InternalError("deferred store: unexpected ZCARD reply");
    n += r.integer;
  }
  return n;
}

}  // namespace smsflow::consent::gate
