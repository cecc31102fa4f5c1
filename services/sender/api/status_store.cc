#include "services/sender/api/status_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/sender/api/status_rules.h"

namespace smsflow::sender {
namespace {

// ARGV: 1 event id, 2 status, 3 rank, 4 final, 5 event ms, 6 part, 7 part
// count, 8 event bytes, 9 ttl ms, 10 batch id, 11 reason, 12 description,
// 13 carrier error, 14 provider, 15 provider message id, 16 stream maxlen,
// 17 DELIVERED, 18 SENT, 19 rank of SENT, 20 key prefix, 21 history max,
// 22.. fact name/value pairs. Returns {kind, status after, status before}.
const redis::Script& ApplyScript() {
  static const redis::Script kScript(R"lua(
local ttl = ARGV[9]
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return {'dup', '', ''} end
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('RPUSH', KEYS[3], ARGV[8])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[21]), -1)
redis.call('PEXPIRE', KEYS[3], ttl)
for i = 22, #ARGV - 1, 2 do
  if ARGV[i + 1] ~= '' then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
local status = ARGV[2]
local rank = tonumber(ARGV[3])
local final = ARGV[4]
local part = tonumber(ARGV[6])
if ARGV[15] ~= '' then redis.call('HSET', KEYS[1], 'pid:' .. part, ARGV[15]) end
if tonumber(ARGV[7]) > 0 then redis.call('HSET', KEYS[1], 'parts', ARGV[7]) end
if part > 0 and status == ARGV[17] then
  local parts = tonumber(redis.call('HGET', KEYS[1], 'parts') or redis.call('HGET', KEYS[1], 'segments') or '1')
  if redis.call('HSETNX', KEYS[1], 'pd:' .. part, '1') == 1 then
    redis.call('HINCRBY', KEYS[1], 'dparts', 1)
  end
  if tonumber(redis.call('HGET', KEYS[1], 'dparts')) < parts then
    status = ARGV[18]
    rank = tonumber(ARGV[19])
    final = '0'
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
local cur = redis.call('HMGET', KEYS[1], 'status', 'rank', 'final', 'updated')
local prev = cur[1] or ''
if cur[1] then
  if cur[3] == '1' then return {'stale', prev, prev} end
  local crank = tonumber(cur[2])
  if rank < crank then return {'stale', prev, prev} end
  if rank == crank and (final == '1' or tonumber(ARGV[5]) < tonumber(cur[4])) then
    return {'stale', prev, prev}
  end
end
redis.call('HSET', KEYS[1], 'status', status, 'rank', rank, 'final', final, 'updated', ARGV[5],
           'reason', ARGV[11], 'desc', ARGV[12])
if ARGV[13] ~= '' then redis.call('HSET', KEYS[1], 'cerr', ARGV[13]) end
if ARGV[14] ~= '' then redis.call('HSET', KEYS[1], 'provider', ARGV[14]) end
if prev == status then return {'applied', status, prev} end
local batch = ARGV[10]
if batch == '' then batch = redis.call('HGET', KEYS[1], 'batch') or '' end
if batch ~= '' then
  local bc = ARGV[20] .. 'b:' .. batch .. ':c'
  local bs = ARGV[20] .. 'b:' .. batch .. ':s'
  if prev ~= '' then redis.call('HINCRBY', bc, prev, -1) end
  redis.call('HINCRBY', bc, status, 1)
  redis.call('PEXPIRE', bc, ttl)
  local c = redis.call('HGETALL', bc)
  local out = {}
  for i = 1, #c, 2 do out[#out + 1] = c[i] .. '=' .. c[i + 1] end
  redis.call('XADD', bs, 'MAXLEN', '~', ARGV[16], '*', 'e', ARGV[8], 'st', status, 'c',
             table.concat(out, ','))
  redis.call('PEXPIRE', bs, ttl)
end
return {'applied', status, prev}
)lua");
  return kScript;
}

int64_t Millis(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000 + t.nanos() / 1000000;
}

int ToInt(const std::string& s) {
  int v = 0;
  return absl::SimpleAtoi(s, &v) ? v : 0;
}

int64_t ToInt64(const std::string& s) {
  int64_t v = 0;
  return absl::SimpleAtoi(s, &v) ? v : 0;
}

google::protobuf::Timestamp FromMillis(int64_t ms) {
  google::protobuf::Timestamp t;
  t.set_seconds(ms / 1000);
  t.set_nanos(static_cast<int32_t>((ms % 1000) * 1000000));
  return t;
}

std::map<std::string, std::string> HashOf(const redis::Reply& r) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < r.elements.size(); i += 2)
    out[r.elements[i].str] = r.elements[i + 1].str;
  return out;
}

std::map<int, int64_t> CountsOf(const std::map<std::string, std::string>& hash) {
  std::map<int, int64_t> out;
  for (const auto& [k, v] : hash) out[ToInt(k)] = ToInt64(v);
  return out;
}

std::map<int, int64_t> ParseCounts(const std::string& text) {
  std::map<int, int64_t> out;
  if (text.empty()) return out;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    out[ToInt(kv.first)] = ToInt64(kv.second);
  }
  return out;
}

absl::Status CheckReplies(const absl::StatusOr<std::vector<redis::Reply>>& replies) {
  if (!replies.ok()) return replies.status();
  for (const auto& r : *replies) {
    if (r.IsError()) return r.ToStatus();
  }
  return absl::OkStatus();
}

}  // namespace

StatusStore::StatusStore(redis::Pool& pool, StatusStoreOptions options)
    : pool_(pool), options_(std::move(options)) {}

std::vector<std::pair<std::string, std::string>> StatusStore::FactsOf(
    const v1::OutboundRequest& r, const std::string& sender_pool) {
  std::vector<std::pair<std::string, std::string>> f = {
      {"accept", std::to_string(Millis(r.request_time()))},
      {"expire", std::to_string(Millis(r.expire_time()))},
      {"encoding", std::to_string(r.encoding())},
      {"pool", sender_pool},
  };
  if (r.has_send_time()) f.emplace_back("send", std::to_string(Millis(r.send_time())));
  return f;
}

absl::StatusOr<std::vector<ApplyResult>> StatusStore::ApplyAll(
    const std::vector<StatusUpdate>& updates) {
  std::vector<ApplyResult> results;
  if (updates.empty()) return results;
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(updates.size());
  const std::string ttl = std::to_string(options_.ttl.count());
  for (const StatusUpdate& u : updates) {
    const v1::DeliveryEvent& e = u.event;
    const std::string m = MessageKey(e.message_id());
    int64_t event_ms = e.has_event_time() ? Millis(e.event_time()) : 0;
    redis::Args args = {e.event_id(),
                        std::to_string(e.status()),
                        std::to_string(StatusRank(e.status())),
                        IsFinal(e.status()) ? "1" : "0",
                        std::to_string(event_ms),
                        std::to_string(e.part_number()),
                        std::to_string(e.part_count()),
                        e.SerializeAsString(),
                        ttl,
                        e.batch_id(),
                        std::to_string(e.reason_code()),
                        e.description(),
                        e.carrier_error_code(),
                        e.provider(),
                        e.provider_message_id(),
                        std::to_string(options_.stream_maxlen),
                        std::to_string(v1::MESSAGE_STATUS_DELIVERED),
                        std::to_string(v1::MESSAGE_STATUS_SENT),
                        std::to_string(StatusRank(v1::MESSAGE_STATUS_SENT)),
                        options_.prefix,
                        std::to_string(options_.history_max)};
    auto fact = [&](const char* name, const std::string& value) {
      args.push_back(name);
      args.push_back(value);
    };
    fact("tenant", e.tenant_id());
    fact("batch", e.batch_id());
    fact("to", e.to());
    fact("from", e.from());
    fact("scope", e.sender_scope());
    fact("tag", e.status_callback_tag());
    if (e.category() != v1::CATEGORY_UNSPECIFIED) fact("category", std::to_string(e.category()));
    if (e.segments() > 0) fact("segments", std::to_string(e.segments()));
    for (const auto& [k, v] : u.facts) {
      args.push_back(k);
      args.push_back(v);
    }
    calls.push_back({{m, m + ":ev", m + ":h"}, std::move(args)});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(ApplyScript(), calls);
  if (!replies.ok()) return replies.status();
  results.reserve(updates.size());
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
    if (!r.IsArray() || r.elements.size() != 3) {
      return absl::InternalError("status apply: unexpected reply " + r.DebugString());
    }
    ApplyResult res;
    const std::string& kind = r.elements[0].str;
    res.kind = kind == "applied" ? ApplyResult::Kind::kApplied
               : kind == "dup"   ? ApplyResult::Kind::kDuplicate
                                 : ApplyResult::Kind::kStale;
    res.status = static_cast<v1::MessageStatus>(ToInt(r.elements[1].str));
    res.previous = static_cast<v1::MessageStatus>(ToInt(r.elements[2].str));
    results.push_back(res);
  }
  return results;
}

absl::StatusOr<std::optional<v1::OutboundMessage>> StatusStore::Get(const std::string& id,
                                                                    bool include_history) {
  const std::string m = MessageKey(id);
  std::vector<redis::Args> cmds = {{"HGETALL", m}};
  if (include_history) cmds.push_back({"LRANGE", m + ":h", "0", "-1"});
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->Pipeline(cmds);
  if (auto st = CheckReplies(replies); !st.ok()) return st;
  const auto h = HashOf((*replies)[0]);
  if (h.empty() || !h.contains("status")) return std::nullopt;
  auto get = [&](const char* k) -> std::string {
    auto it = h.find(k);
    return it == h.end() ? std::string() : it->second;
  };
  v1::OutboundMessage msg;
  msg.set_message_id(id);
  msg.set_tenant_id(get("tenant"));
  msg.set_batch_id(get("batch"));
  msg.set_sender_scope(get("scope"));
  msg.set_from(get("from"));
  msg.set_sender_pool(get("pool"));
  msg.set_to(get("to"));
  msg.set_encoding(static_cast<v1::Encoding>(ToInt(get("encoding"))));
  msg.set_segments(ToInt(get("segments")));
  msg.set_category(static_cast<v1::Category>(ToInt(get("category"))));
  msg.set_status(static_cast<v1::MessageStatus>(ToInt(get("status"))));
  if (StatusRank(msg.status()) >= StatusRank(v1::MESSAGE_STATUS_QUEUED) &&
      msg.status() != v1::MESSAGE_STATUS_REJECTED) {
    msg.set_lane(LaneOf(msg.category()));
  }
  msg.set_reason_code(static_cast<v1::ReasonCode>(ToInt(get("reason"))));
  msg.set_description(get("desc"));
  msg.set_carrier_error_code(get("cerr"));
  msg.set_provider(get("provider"));
  std::map<int, std::string> pids;
  for (const auto& [k, v] : h) {
    if (k.rfind("pid:", 0) == 0) pids[ToInt(k.substr(4))] = v;
  }
  for (const auto& [part, pid] : pids) msg.add_provider_message_ids(pid);
  msg.set_status_callback_tag(get("tag"));
  if (int64_t t = ToInt64(get("accept")); t > 0) *msg.mutable_accept_time() = FromMillis(t);
  if (int64_t t = ToInt64(get("send")); t > 0) *msg.mutable_send_time() = FromMillis(t);
  if (int64_t t = ToInt64(get("expire")); t > 0) *msg.mutable_expire_time() = FromMillis(t);
  if (int64_t t = ToInt64(get("updated")); t > 0) *msg.mutable_update_time() = FromMillis(t);
  if (include_history) {
    std::vector<v1::DeliveryEvent> history;
    for (const auto& item : (*replies)[1].elements) {
      v1::DeliveryEvent e;
      if (e.ParseFromString(item.str)) history.push_back(std::move(e));
    }
    // Oldest first by when smsflow observed each change, not by arrival.
    std::stable_sort(history.begin(), history.end(), [](const auto& a, const auto& b) {
      return Millis(a.event_time()) < Millis(b.event_time());
    });
    for (auto& e : history) *msg.add_history() = std::move(e);
  }
  return msg;
}

absl::Status StatusStore::RecordBatch(const std::string& batch_id, const std::string& tenant_id,
                                      const std::vector<std::string>& ids, bool open) {
  const std::string b = BatchKey(batch_id);
  const std::string ttl = std::to_string(options_.ttl.count());
  std::vector<redis::Args> cmds = {{"HSET", b, "tenant", tenant_id, "open", open ? "1" : "0"},
                                   {"PEXPIRE", b, ttl}};
  if (!ids.empty()) {
    redis::Args sadd = {"SADD", b + ":m"};
    sadd.insert(sadd.end(), ids.begin(), ids.end());
    cmds.push_back(std::move(sadd));
    cmds.push_back({"PEXPIRE", b + ":m", ttl});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  return CheckReplies((*lease)->Pipeline(cmds));
}

absl::Status StatusStore::CloseBatch(const std::string& batch_id) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto r = (*lease)->Command({"HSET", BatchKey(batch_id), "open", "0"});
  return r.ok() ? absl::OkStatus() : r.status();
}

absl::Status StatusStore::ForgetMembers(const std::string& batch_id,
                                        const std::vector<std::string>& ids) {
  if (ids.empty()) return absl::OkStatus();
  redis::Args srem = {"SREM", BatchKey(batch_id) + ":m"};
  srem.insert(srem.end(), ids.begin(), ids.end());
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto r = (*lease)->Command(srem);
  return r.ok() ? absl::OkStatus() : r.status();
}

absl::StatusOr<std::optional<BatchSnapshot>> StatusStore::Snapshot(const std::string& batch_id) {
  const std::string b = BatchKey(batch_id);
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->Pipeline({{"MULTI"},
                                     {"HGETALL", b},
                                     {"SCARD", b + ":m"},
                                     {"HGETALL", b + ":c"},
                                     {"XREVRANGE", b + ":s", "+", "-", "COUNT", "1"},
                                     {"EXEC"}});
  if (auto st = CheckReplies(replies); !st.ok()) return st;
  const redis::Reply& exec = replies->back();
  if (!exec.IsArray() || exec.elements.size() != 4) {
    return absl::InternalError("batch snapshot: unexpected reply " + exec.DebugString());
  }
  const auto meta = HashOf(exec.elements[0]);
  if (meta.empty()) return std::nullopt;
  BatchSnapshot s;
  s.tenant_id = meta.contains("tenant") ? meta.at("tenant") : "";
  s.open = meta.contains("open") && meta.at("open") == "1";
  s.canceled = meta.contains("canceled");
  s.total = exec.elements[1].integer;
  s.counts = CountsOf(HashOf(exec.elements[2]));
  s.last_change_id = "0-0";
  if (!exec.elements[3].elements.empty())
    s.last_change_id = exec.elements[3].elements[0].elements[0].str;
  return s;
}

absl::StatusOr<bool> StatusStore::MarkCanceled(const std::string& batch_id) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto r = (*lease)->Command({"HSETNX", BatchKey(batch_id), "canceled", "1"});
  if (!r.ok()) return r.status();
  return r->integer == 1;
}

absl::StatusOr<std::vector<BatchChange>> StatusStore::ReadChanges(redis::Client& client,
                                                                  const std::string& batch_id,
                                                                  std::string* last_id,
                                                                  std::chrono::milliseconds block,
                                                                  int count) {
  std::vector<BatchChange> out;
  auto r = client.Command({"XREAD", "COUNT", std::to_string(count), "BLOCK",
                           std::to_string(block.count()), "STREAMS", BatchKey(batch_id) + ":s",
                           *last_id});
  if (!r.ok()) return r.status();
  if (r->IsNil() || r->elements.empty()) return out;
  for (const redis::Reply& entry : r->elements[0].elements[1].elements) {
    BatchChange c;
    c.id = entry.elements[0].str;
    const auto fields = HashOf(entry.elements[1]);
    auto it = fields.find("e");
    if (it == fields.end() || !c.event.ParseFromString(it->second)) continue;
    const auto st =
        static_cast<v1::MessageStatus>(ToInt(fields.count("st") ? fields.at("st") : ""));
    if (st != c.event.status()) {
      // A part receipt folded into its message: report the message's status.
      c.event.set_status(st);
      c.event.set_part_number(0);
      c.event.set_reason_code(v1::REASON_CODE_UNSPECIFIED);
    }
    c.counts = ParseCounts(fields.count("c") ? fields.at("c") : "");
    *last_id = c.id;
    out.push_back(std::move(c));
  }
  if (!r->elements[0].elements[1].elements.empty()) {
    *last_id = r->elements[0].elements[1].elements.back().elements[0].str;
  }
  return out;
}

absl::StatusOr<redis::Options> StatusStore::WatchOptions(std::chrono::milliseconds block) {
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  redis::Options o = (*lease)->options();
  o.command_timeout = std::max(o.command_timeout, block + std::chrono::milliseconds(2000));
  return o;
}

}  // namespace smsflow::sender
