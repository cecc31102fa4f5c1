#pragma once
// Structured logging: one JSON object per line on stderr, with the service
// name, level, time and caller-supplied fields. Phone numbers are passed as
// log::Phone(...) and are redacted in every record above debug level, so a
// full number never reaches an info-level log. Message bodies are never
// logged; log their length instead.
//
// Thread-safe. Init() once at start-up (before other threads log); records
// logged before Init() go to stderr with service "unknown".

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace smsflow::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// A personal value: printed in full only in debug records.
struct Pii {
  std::string full;
  std::string redacted;
};

// "+14155550123" -> "+1415*****23": country and area code stay (useful for
// routing questions), the subscriber part does not.
std::string RedactPhone(std::string_view phone);
inline Pii Phone(std::string_view e164) { return Pii{std::string(e164), RedactPhone(e164)}; }

struct Field {
  using Value = std::variant<std::string, int64_t, double, bool, Pii>;
  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, long long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, unsigned v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}
  Field(std::string_view k, Pii v) : key(k), value(std::move(v)) {}
  Field(std::string_view k, const absl::Status& s) : key(k), value(s.ToString()) {}
  std::string key;
  Value value;
};
using Fields = std::initializer_list<Field>;

// Sets the service name and minimum level. `level` is one of debug, info,
// warn, error; anything else is INVALID_ARGUMENT naming it.
absl::Status Init(std::string_view service, std::string_view level);
absl::Status ParseLevel(std::string_view name, Level* out);
bool Enabled(Level level);

// Renders a record as one JSON line (no trailing newline). Exposed for tests.
std::string Format(Level level, std::string_view message, Fields fields);

void Write(Level level, std::string_view message, Fields fields);
inline void Debug(std::string_view m, Fields f = {}) { Write(Level::kDebug, m, f); }
inline void Info(std::string_view m, Fields f = {}) { Write(Level::kInfo, m, f); }
inline void Warn(std::string_view m, Fields f = {}) { Write(Level::kWarn, m, f); }
inline void Error(std::string_view m, Fields f = {}) { Write(Level::kError, m, f); }

// Lets a warning through at most once per interval, for conditions a retry
// loop meets many times a second (Redis away, a view being restored): the
// first occurrence is logged at once, the rest are counted by metrics.
// Thread-safe; usually a function-local static.
class Throttle {
 public:
  explicit Throttle(absl::Duration interval) : interval_ns_(absl::ToInt64Nanoseconds(interval)) {}
  bool Allow();

 private:
  const int64_t interval_ns_;
  std::atomic<int64_t> next_ns_{0};
};

// Tests capture records instead of writing them to stderr.
void SetSinkForTesting(std::function<void(std::string_view line)> sink);

}  // namespace smsflow::log
