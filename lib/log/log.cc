#include "lib/log/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace smsflow::log {
namespace {

struct State {
  std::mutex mu;
  std::string service = "unknown";
  std::shared_ptr<spdlog::logger> logger;
  std::function<void(std::string_view)> test_sink;
};

State& GetState() {
  static State* state = [] {
    auto* s = new State();
    s->logger = std::make_shared<spdlog::logger>("smsflow",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
    s->logger->set_pattern("%v");
    s->logger->set_level(spdlog::level::trace);
    s->logger->flush_on(spdlog::level::trace);
    return s;
  }();
  return *state;
}

std::atomic<int> g_min_level{static_cast<int>(Level::kInfo)};

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

}  // namespace

std::string RedactPhone(std::string_view phone) {
  // Keep '+', the first four digits (country and most of a NANP area code)
  // and the last two; mask the rest. Short values are masked entirely.
  if (phone.size() <= 6) return std::string(phone.size(), '*');
  std::string out(phone);
  const size_t keep_head = phone[0] == '+' ? 5 : 4;
  for (size_t i = keep_head; i + 2 < out.size(); ++i) out[i] = '*';
  return out;
}

absl::Status ParseLevel(std::string_view name, Level* out) {
  const std::string n = absl::AsciiStrToLower(std::string(name));
  if (n == "debug") {
    *out = Level::kDebug;
  } else if (n == "info") {
    *out = Level::kInfo;
  } else if (n == "warn" || n == "warning") {
    *out = Level::kWarn;
  } else if (n == "error") {
    *out = Level::kError;
  } else {
    return absl::InvalidArgumentError("log level '" + std::string(name) +
                                      "' is not one of debug, info, warn, error");
  }
  return absl::OkStatus();
}

absl::Status Init(std::string_view service, std::string_view level) {
  Level parsed;
  if (auto st = ParseLevel(level, &parsed); !st.ok()) return st;
  State& s = GetState();
  {
    std::lock_guard lock(s.mu);
    s.service = std::string(service);
  }
  g_min_level.store(static_cast<int>(parsed));
  return absl::OkStatus();
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_min_level.load(); }

std::string Format(Level level, std::string_view message, Fields fields) {
  State& s = GetState();
  nlohmann::ordered_json j;
  j["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone());
  j["level"] = LevelName(level);
  {
    std::lock_guard lock(s.mu);
    j["service"] = s.service;
  }
  j["msg"] = std::string(message);
  for (const Field& f : fields) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Pii>) {
            j[f.key] = level == Level::kDebug ? v.full : v.redacted;
          } else {
            j[f.key] = v;
          }
        },
        f.value);
  }
  // Invalid UTF-8 in a field is replaced rather than throwing from a log call.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Write(Level level, std::string_view message, Fields fields) {
  if (!Enabled(level)) return;
  const std::string line = Format(level, message, fields);
  State& s = GetState();
  std::function<void(std::string_view)> sink;
  {
    std::lock_guard lock(s.mu);
    sink = s.test_sink;
  }
  if (sink) {
    sink(line);
    return;
  }
  s.logger->log(spdlog::level::info, line);
}

void SetSinkForTesting(std::function<void(std::string_view line)> sink) {
  State& s = GetState();
  std::lock_guard lock(s.mu);
  s.test_sink = std::move(sink);
}

bool Throttle::Allow() {
  const int64_t now = absl::GetCurrentTimeNanos();
  int64_t next = next_ns_.load(std::memory_order_relaxed);
  // Only the caller that moves `next` forward logs; the others lost the race.
  return now >= next &&
         next_ns_.compare_exchange_strong(next, now + interval_ns_, std::memory_order_relaxed);
}

}  // namespace smsflow::log
