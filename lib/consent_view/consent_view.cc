#include "lib/consent_view/consent_view.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace smsflow::consentview {
namespace {

// Stored value: "<version>|<serialized ConsentState>". KEYS[2] and ARGV[3],
// when given, are the rebuilding claim and the token that must hold it.
const redis::Script& PutScript() {
  static const redis::Script kScript(R"lua(
if KEYS[2] and redis.call('GET', KEYS[2]) ~= ARGV[3] then return -1 end
local v = redis.call('GET', KEYS[1])
if v then
  local sep = string.find(v, '|', 1, true)
  if tonumber(string.sub(v, 1, sep - 1)) >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
return 1
)lua");
  return kScript;
}

}  // namespace

absl::Status NotReadyError() {
  return absl::UnavailableError(
      "consent view: not ready (lost or being rebuilt from sms.consent.v1)");
}

ConsentView::ConsentView(redis::Pool& pool, std::string prefix)
    : pool_(pool),
      prefix_(std::move(prefix)),
      marker_(pool, prefix_ + "meta:ready", prefix_ + "meta:rebuilding", "consent view") {}

std::string ConsentView::RedisKey(const ConsentKey& key) const {
  // The scope is free text from config: length-prefix it so no two keys collide.
  return absl::StrCat(prefix_, key.tenant_id, "|", key.sender_scope.size(), ":", key.sender_scope,
                      "|", key.recipient);
}

absl::StatusOr<std::vector<std::optional<VersionedState>>> ConsentView::GetAll(
    const std::vector<ConsentKey>& keys) {
  return Read(keys, /*require_ready=*/true);
}

absl::StatusOr<std::vector<std::optional<VersionedState>>> ConsentView::GetAllStored(
    const std::vector<ConsentKey>& keys) {
  return Read(keys, /*require_ready=*/false);
}

absl::StatusOr<std::vector<std::optional<VersionedState>>> ConsentView::Read(
    const std::vector<ConsentKey>& keys, bool require_ready) {
  std::vector<std::optional<VersionedState>> out;
  if (keys.empty()) return out;
  redis::Args mget = {"MGET"};
  for (const ConsentKey& k : keys) mget.push_back(RedisKey(k));
  // The marker rides in the same MGET: one round trip, and the states and
  // the marker are read at the same instant.
  if (require_ready) mget.push_back(ReadyKey());
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Command(mget);
  if (!reply.ok()) return reply.status();
  if (!reply->IsArray() || reply->elements.size() != mget.size() - 1) {
    return absl::InternalError("consent view: unexpected reply " + reply->DebugString());
  }
  if (require_ready && reply->elements.back().IsNil()) {
    return NotReadyError();
  }
  out.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const redis::Reply& r = reply->elements[i];
    if (r.IsNil()) {
      out.emplace_back(std::nullopt);
      continue;
    }
    const size_t sep = r.str.find('|');
    VersionedState vs;
    if (sep == std::string::npos || !absl::SimpleAtoi(r.str.substr(0, sep), &vs.version) ||
        !vs.state.ParseFromArray(r.str.data() + sep + 1,
                                 static_cast<int>(r.str.size() - sep - 1))) {
      return absl::DataLossError("consent view: malformed value for a key");
    }
    out.emplace_back(std::move(vs));
  }
  return out;
}

absl::Status ConsentView::PutAll(const std::vector<VersionedState>& states) {
  return Write(states, nullptr);
}

absl::Status ConsentView::PutAllForRestore(const std::vector<VersionedState>& states,
                                           const std::string& restore_token) {
  if (restore_token.empty()) return absl::InvalidArgumentError("restore_token: required");
  return Write(states, &restore_token);
}

absl::Status ConsentView::Write(const std::vector<VersionedState>& states,
                                const std::string* restore_token) {
  if (states.empty()) return absl::OkStatus();
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(states.size());
  for (const VersionedState& vs : states) {
    const ConsentKey key{vs.state.tenant_id(), vs.state.sender_scope(), vs.state.recipient()};
    redis::Args keys = {RedisKey(key)};
    redis::Args args = {std::to_string(vs.version), vs.state.SerializeAsString()};
    if (restore_token != nullptr) {
      keys.push_back(RebuildingKey());
      args.push_back(*restore_token);
    }
    calls.push_back({std::move(keys), std::move(args)});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(PutScript(), calls);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
    if (r.IsInteger() && r.integer < 0) return marker_.ClaimLost();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<bool>> ConsentView::OptedOutAll(const std::vector<ConsentKey>& keys) {
  auto states = GetAll(keys);
  if (!states.ok()) return states.status();
  std::vector<bool> out;
  out.reserve(states->size());
  for (const auto& s : *states) out.push_back(s.has_value() && s->state.opted_out());
  return out;
}

absl::StatusOr<bool> ConsentView::IsReady() { return marker_.IsReady(); }

absl::StatusOr<bool> ConsentView::BeginRestore(const std::string& token,
                                               std::chrono::milliseconds lease) {
  return marker_.BeginRestore(token, lease);
}

absl::StatusOr<bool> ConsentView::RenewRestore(const std::string& token,
                                               std::chrono::milliseconds lease) {
  return marker_.RenewRestore(token, lease);
}

absl::Status ConsentView::MarkReady(const std::string& token) { return marker_.MarkReady(token); }

absl::Status ConsentView::AbandonRestore(const std::string& token) {
  return marker_.AbandonRestore(token);
}

}  // namespace smsflow::consentview
