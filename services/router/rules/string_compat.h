#pragma once
// Debian's abseil is built without std::string_view aliasing, so
// absl::string_view is a distinct type; these bridge the two at call sites
// (heterogeneous hash lookups, StrCat, Status messages).

#include <string_view>

#include "absl/strings/string_view.h"

namespace smsflow::router {

inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace smsflow::router
