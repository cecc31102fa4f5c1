// CompareViews (declared in view_rebuild.h): every state of two view
// prefixes, side by side.
#include <google/protobuf/util/message_differencer.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "services/consent/ledger/view_rebuild.h"
#include "services/consent/ledger/view_scan.h"

namespace smsflow::consent::ledger {
namespace {

// "<version>|<state>" as ConsentView stores it.
bool ParseValue(const std::string& v, int64_t* version, v1::ConsentState* state) {
  const size_t sep = v.find('|');
  return sep != std::string::npos && absl::SimpleAtoi(absl::string_view(v.data(), sep), version) &&
         state->ParseFromArray(v.data() + sep + 1, static_cast<int>(v.size() - sep - 1));
}

}  // namespace

absl::StatusOr<ViewDiff> CompareViews(redis::Pool& pool, const std::string& live_prefix,
                                      const std::string& rebuilt_prefix) {
  if (live_prefix.empty() || rebuilt_prefix.empty() ||
      absl::StartsWith(live_prefix, rebuilt_prefix) ||
      absl::StartsWith(rebuilt_prefix, live_prefix)) {
    return absl::InvalidArgumentError(
        "rebuilt_prefix: must differ from the live prefix and neither may start with the other");
  }
  std::set<std::string> suffixes;
  for (const std::string* prefix : {&live_prefix, &rebuilt_prefix}) {
    auto s = ScanKeys(pool, GlobEscape(*prefix) + "*", [&](std::vector<std::string>& keys) {
      for (const std::string& k : keys) {
        if (ParseViewKey(std::string_view(k).substr(prefix->size())).has_value()) {
          suffixes.insert(k.substr(prefix->size()));
        }
      }
      return true;
    });
    if (!s.ok()) return s;
  }
  ViewDiff diff;
  std::vector<std::string> all(suffixes.begin(), suffixes.end());
  constexpr size_t kChunk = 500;
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  for (size_t at = 0; at < all.size(); at += kChunk) {
    const size_t n = std::min(kChunk, all.size() - at);
    redis::Args live = {"MGET"}, rebuilt = {"MGET"};
    for (size_t i = 0; i < n; ++i) {
      live.push_back(live_prefix + all[at + i]);
      rebuilt.push_back(rebuilt_prefix + all[at + i]);
    }
    auto replies = (*lease)->Pipeline({live, rebuilt});
    if (!replies.ok()) return replies.status();
    for (size_t i = 0; i < n; ++i) {
      const redis::Reply& a = (*replies)[0].elements[i];
      const redis::Reply& b = (*replies)[1].elements[i];
      bool bad = false;
      if (a.IsNil() || b.IsNil()) {
        ++(a.IsNil() ? diff.only_rebuilt : diff.only_live);
        bad = true;
      } else {
        int64_t va = 0, vb = 0;
        v1::ConsentState sa, sb;
        if (!ParseValue(a.str, &va, &sa) || !ParseValue(b.str, &vb, &sb)) {
          ++diff.different;
          bad = true;
        } else if (va > vb) {
          ++diff.live_newer;
        } else if (va == vb && google::protobuf::util::MessageDifferencer::Equals(sa, sb)) {
          ++diff.same;
        } else {
          ++diff.different;
          bad = true;
        }
      }
      if (bad && diff.examples.size() < 20) diff.examples.push_back(*ParseViewKey(all[at + i]));
    }
  }
  return diff;
}

}  // namespace smsflow::consent::ledger
