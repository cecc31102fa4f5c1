#include "lib/store/provider_ids.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace smsflow::store {

ProviderIdIndex::ProviderIdIndex(redis::Pool& pool, std::chrono::milliseconds ttl)
    : pool_(pool), ttl_(ttl) {}

std::string ProviderIdIndex::Key(const ProviderRef& ref) {
  // Length-prefix the provider so "a:b" + "c" and "a" + "b:c" differ.
  return absl::StrCat("smsflow:pid:", ref.provider.size(), ":", ref.provider, ":", ref.provider_id);
}

absl::Status ProviderIdIndex::PutAll(
    const std::vector<std::pair<ProviderRef, ProviderIdEntry>>& entries) {
  if (entries.empty()) return absl::OkStatus();
  std::vector<redis::Args> commands;
  commands.reserve(entries.size());
  const std::string ttl = std::to_string(ttl_.count());
  for (const auto& [ref, e] : entries) {
    commands.push_back(
        {"SET", Key(ref),
         absl::StrCat(e.message_id, "|", e.tenant_id, "|", e.part_number, "|", e.part_count), "PX",
         ttl});
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto replies = (*lease)->Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& r : *replies) {
    if (r.IsError()) return r.ToStatus();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::optional<ProviderIdEntry>>> ProviderIdIndex::LookupAll(
    const std::vector<ProviderRef>& refs) {
  std::vector<std::optional<ProviderIdEntry>> out;
  if (refs.empty()) return out;
  redis::Args mget = {"MGET"};
  for (const ProviderRef& ref : refs) mget.push_back(Key(ref));
  auto lease = pool_.Acquire();
  if (!lease.ok()) return lease.status();
  auto reply = (*lease)->Command(mget);
  if (!reply.ok()) return reply.status();
  if (!reply->IsArray() || reply->elements.size() != refs.size()) {
    return absl::InternalError("provider id lookup: unexpected reply " + reply->DebugString());
  }
  out.reserve(refs.size());
  for (const redis::Reply& r : reply->elements) {
    if (r.IsNil()) {
      out.emplace_back(std::nullopt);
      continue;
    }
    std::vector<std::string> parts = absl::StrSplit(r.str, '|');
    ProviderIdEntry e;
    if (parts.size() != 4 || !absl::SimpleAtoi(parts[2], &e.part_number) ||
        !absl::SimpleAtoi(parts[3], &e.part_count)) {
      return absl::DataLossError("provider id entry is malformed: " + r.str);
    }
    e.message_id = parts[0];
    e.tenant_id = parts[1];
    out.emplace_back(std::move(e));
  }
  return out;
}

}  // namespace smsflow::store
