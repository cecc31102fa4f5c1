#include "services/ingest/webhook/form.h"

#include "absl/strings/str_cat.h"
#include "lib/sms/segments.h"

namespace smsflow::ingest::webhook {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes `component`; on a bad escape returns false with its offset.
bool Decode(std::string_view component, std::string* out, size_t* bad_at) {
  out->clear();
  out->reserve(component.size());
  for (size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '+') {
      out->push_back(' ');
    } else if (c == '%') {
      const int hi = i + 1 < component.size() ? HexValue(component[i + 1]) : -1;
      const int lo = i + 2 < component.size() ? HexValue(component[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        *bad_at = i;
        return false;
      }
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> PercentDecode(std::string_view component) {
  std::string out;
  size_t bad_at = 0;
  if (!Decode(component, &out, &bad_at)) {
    return absl::InvalidArgumentError(absl::StrCat("malformed percent escape at byte ", bad_at));
  }
  return out;
}

absl::StatusOr<FormParams> ParseForm(std::string_view body) {
  FormParams params;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    const size_t offset = start;
    start = end + 1;
    if (pair.empty()) continue;

    const size_t eq = pair.find('=');
    const std::string_view raw_name = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (raw_name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("form body: parameter without a name at byte ", offset));
    }
    std::string name, value;
    size_t bad_at = 0;
    if (!Decode(raw_name, &name, &bad_at)) {
      return absl::InvalidArgumentError(
          absl::StrCat("form body: malformed percent escape at byte ", offset + bad_at));
    }
    if (!sms::IsValidUtf8(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("form body: parameter name is not valid UTF-8 at byte ", offset));
    }
    const size_t value_offset = offset + raw_name.size() + 1;
    const std::string shown = IsPrintableAscii(name) ? absl::StrCat(" (", name, ")") : "";
    if (!Decode(raw_value, &value, &bad_at)) {
      return absl::InvalidArgumentError(absl::StrCat("form body: malformed percent escape", shown,
                                                     " at byte ", value_offset + bad_at));
    }
    if (!sms::IsValidUtf8(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("form body: value", shown, " is not valid UTF-8 at byte ", value_offset));
    }
    params.emplace_back(std::move(name), std::move(value));
  }
  return params;
}

}  // namespace smsflow::ingest::webhook
