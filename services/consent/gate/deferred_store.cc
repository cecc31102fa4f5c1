#include "services/consent/gate/deferred_store.h"

namespace smsflow::consent::gate {
namespace {

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

// KEYS: due, claimed, payload[, restore claim]. ARGV: [token,] then quads
// of op ('h' hold, 'r' forget), id, release_ms, payload. With the claim key,
// nothing is written unless the token still holds it (-1).
const redis::Script& ApplyScript() {
  static const redis::Script kScript(R"lua(
local first = 1
if KEYS[4] then
  if redis.call('GET', KEYS[4]) ~= ARGV[1] then return -1 end
  first = 2
end
for i = first, #ARGV, 4 do
  local id = ARGV[i + 1]
  redis.call('ZREM', KEYS[2], id)
  if ARGV[i] == 'h' then
    redis.call('HSET', KEYS[3], id, ARGV[i + 3])
    redis.call('ZADD', KEYS[1], ARGV[i + 2], id)
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
return 1
)lua");
  return kScript;
}

// KEYS: due, claimed, payload, ready. ARGV: now_ms, lease_deadline_ms,
// limit. Returns a flat array of id, payload, release_ms, or -1 when the
// store is not ready. Stale claims (their owner's lease ended) are taken
// first; their release time is unknown after the claim, so it is reported
// as now.
const redis::Script& ClaimScript() {
  static const redis::Script kScript(R"lua(
if redis.call('EXISTS', KEYS[4]) == 0 then return -1 end
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

void AddHold(const HeldMessage& m, redis::Args& args) {
  args.push_back("h");
  args.push_back(m.request.message_id());
  args.push_back(std::to_string(Ms(m.release_time)));
  args.push_back(std::string(m.quiet_hours ? "q|" : "s|") + m.request.SerializeAsString());
}

// `value` as stored in the payload hash: "<q|s>|<serialized OutboundRequest>".
bool ParseHeld(const std::string& value, int64_t release_ms, HeldMessage& out) {
  out.release_time = absl::FromUnixMillis(release_ms);
  out.quiet_hours = !value.empty() && value[0] == 'q';
  return value.size() >= 2 && value[1] == '|' &&
         out.request.ParseFromArray(value.data() + 2, static_cast<int>(value.size() - 2));
}

int64_t ToMs(const redis::Reply& r) {
  return r.IsInteger() ? r.integer : std::atoll(r.str.c_str());
}

}  // namespace

DeferredStore::DeferredStore(redis::Pool& pool, std::string prefix)
    : pool_(pool),
      due_(prefix + "due"),
      claimed_(prefix + "claimed"),
      payload_(prefix + "payload"),
      marker_(pool, prefix + "meta:ready", prefix + "meta:restoring", "deferred store") {}

absl::Status DeferredStore::HoldAll(const std::vector<HeldMessage>& messages) {
  if (messages.empty()) return absl::OkStatus();
  redis::Args args;
  args.reserve(messages.size() * 4);
  for (const HeldMessage& m : messages) AddHold(m, args);
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(ApplyScript(), {due_, claimed_, payload_}, args);
  return reply.ok() ? absl::OkStatus() : reply.status();
}

absl::Status DeferredStore::RestoreAll(const std::vector<JournalEntry>& entries,
                                       const std::string& restore_token) {
  if (restore_token.empty()) return absl::InvalidArgumentError("restore_token: required");
  redis::Args args = {restore_token};
  args.reserve(1 + entries.size() * 4);
  for (const JournalEntry& e : entries) {
    if (e.held.has_value()) {
      AddHold(*e.held, args);
    } else {
      args.insert(args.end(), {"r", e.message_id, "0", ""});
    }
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(ApplyScript(), {due_, claimed_, payload_, marker_.claim_key()}, args);
  if (!reply.ok()) return reply.status();
  if (reply->IsInteger() && reply->integer < 0) return marker_.ClaimLost();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<HeldMessage>> DeferredStore::ClaimDue(
    absl::Time now, absl::Duration lease_for, int limit, std::vector<std::string>* malformed) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Eval(
      ClaimScript(), {due_, claimed_, payload_, marker_.ready_key()},
      {std::to_string(Ms(now)), std::to_string(Ms(now + lease_for)), std::to_string(limit)});
  if (!reply.ok()) return reply.status();
  if (reply->IsInteger() && reply->integer < 0) return marker_.NotReady();
  if (!reply->IsArray() || reply->elements.size() % 3 != 0) {
    return absl::InternalError("deferred store: unexpected reply " + reply->DebugString());
  }
  std::vector<HeldMessage> out;
  for (size_t i = 0; i < reply->elements.size(); i += 3) {
    HeldMessage m;
    if (!ParseHeld(reply->elements[i + 1].str, ToMs(reply->elements[i + 2]), m)) {
      if (malformed != nullptr) malformed->push_back(reply->elements[i].str);
      continue;
    }
    out.push_back(std::move(m));
  }
  return out;
}

absl::StatusOr<std::vector<HeldMessage>> DeferredStore::Peek(int limit) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto due = (*lease)->Command({"ZRANGE", due_, "0", std::to_string(limit - 1), "WITHSCORES"});
  if (!due.ok()) return due.status();
  std::vector<HeldMessage> out;
  if (!due->IsArray() || due->elements.empty()) return out;
  redis::Args hmget = {"HMGET", payload_};
  for (size_t i = 0; i < due->elements.size(); i += 2) hmget.push_back(due->elements[i].str);
  auto payloads = (*lease)->Command(hmget);
  if (!payloads.ok()) return payloads.status();
  if (!payloads->IsArray() || payloads->elements.size() != hmget.size() - 2) {
    return absl::InternalError("deferred store: unexpected reply " + payloads->DebugString());
  }
  for (size_t i = 0; i < payloads->elements.size(); ++i) {
    HeldMessage m;
    if (ParseHeld(payloads->elements[i].str, ToMs(due->elements[2 * i + 1]), m)) {
      out.push_back(std::move(m));
    }
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
