#include "lib/consent_view/consent_view.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace smsflow::consentview {
namespace {

// Stored value: "<version>|<serialized ConsentState>".
const redis::Script& PutScript() {
  static const redis::Script kScript(R"lua(
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

ConsentView::ConsentView(redis::Pool& pool, std::string prefix)
    : pool_(pool), prefix_(std::move(prefix)) {}

std::string ConsentView::RedisKey(const ConsentKey& key) const {
  // The scope is free text from config: length-prefix it so no two keys collide.
  return absl::StrCat(prefix_, key.tenant_id, "|", key.sender_scope.size(), ":", key.sender_scope,
                      "|", key.recipient);
}

absl::StatusOr<std::vector<std::optional<VersionedState>>> ConsentView::GetAll(
    const std::vector<ConsentKey>& keys) {
  std::vector<std::optional<VersionedState>> out;
  if (keys.empty()) return out;
  redis::Args mget = {"MGET"};
  for (const ConsentKey& k : keys) mget.push_back(RedisKey(k));
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Command(mget);
  if (!reply.ok()) return reply.status();
  if (!reply->IsArray() || reply->elements.size() != keys.size()) {
    return absl::InternalError("consent view: unexpected reply " + reply->DebugString());
  }
  out.reserve(keys.size());
  for (const redis::Reply& r : reply->elements) {
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
  if (states.empty()) return absl::OkStatus();
  std::vector<std::pair<redis::Args, redis::Args>> calls;
  calls.reserve(states.size());
  for (const VersionedState& vs : states) {
    const ConsentKey key{vs.state.tenant_id(), vs.state.sender_scope(), vs.state.recipient()};
    calls.push_back({{RedisKey(key)}, {std::to_string(vs.version), vs.state.SerializeAsString()}});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->EvalPipeline(PutScript(), calls);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
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

}  // namespace smsflow::consentview
