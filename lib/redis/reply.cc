#include "lib/redis/reply.h"

#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace smsflow::redis {
namespace {

std::string_view FirstWord(std::string_view s) { return s.substr(0, s.find(' ')); }

constexpr std::array<std::string_view, 6> kTransientCodes = {
    "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "READONLY"};
constexpr std::array<std::string_view, 6> kPreconditionCodes = {
    "WRONGTYPE", "NOSCRIPT", "NOAUTH", "WRONGPASS", "NOPERM", "EXECABORT"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& codes, std::string_view code) {
  for (std::string_view c : codes) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace

std::string_view Reply::ErrorCode() const {
  if (type != Type::kError) return {};
  return FirstWord(str);
}

absl::Status Reply::ToStatus() const {
  if (type != Type::kError) return absl::OkStatus();
  return ErrorReplyToStatus(str);
}

std::string Reply::DebugString() const {
  switch (type) {
    case Type::kNil:
      return "(nil)";
    case Type::kStatus:
      return absl::StrCat("+", str);
    case Type::kError:
      return absl::StrCat("-", str);
    case Type::kInteger:
      return absl::StrCat("(integer) ", integer);
    case Type::kString:
      return absl::StrCat("\"", absl::CHexEscape(str), "\"");
    case Type::kArray:
      return absl::StrCat(
          "[",
          absl::StrJoin(elements, ", ",
                        [](std::string* out, const Reply& r) { out->append(r.DebugString()); }),
          "]");
  }
  return "?";
}

absl::Status ErrorReplyToStatus(std::string_view message) {
  const std::string_view code = FirstWord(message);
  std::string text = absl::StrCat("redis: ", absl::string_view(message.data(), message.size()));
  if (Contains(kTransientCodes, code)) return absl::UnavailableError(text);
  if (code == "OOM") return absl::ResourceExhaustedError(text);
  if (Contains(kPreconditionCodes, code)) return absl::FailedPreconditionError(text);
  return absl::InternalError(text);
}

}  // namespace smsflow::redis
