#pragma once
// An owning copy of one Redis (RESP2) reply. No hiredis type leaks out of the
// module: the client converts each redisReply into this and frees it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace smsflow::redis {

struct Reply {
  enum class Type { kNil, kStatus, kError, kInteger, kString, kArray };

  Type type = Type::kNil;
  int64_t integer = 0;
  // The payload of kStatus, kError and kString replies (binary-safe).
  std::string str;
  std::vector<Reply> elements;

  bool IsNil() const { return type == Type::kNil; }
  bool IsStatus() const { return type == Type::kStatus; }
  bool IsError() const { return type == Type::kError; }
  bool IsInteger() const { return type == Type::kInteger; }
  bool IsString() const { return type == Type::kString; }
  bool IsArray() const { return type == Type::kArray; }
  // A "+OK" status reply.
  bool IsOk() const { return type == Type::kStatus && str == "OK"; }

  // The first word of an error reply ("WRONGTYPE", "NOSCRIPT", "ERR"); empty
  // for other types.
  std::string_view ErrorCode() const;

  // OkStatus for anything but an error reply; otherwise the status described
  // at ErrorReplyToStatus.
  absl::Status ToStatus() const;

  // A short human-readable rendering for logs and test failures.
  std::string DebugString() const;

  // Builders, mostly for tests and fakes.
  static Reply MakeNil() { return Reply{}; }
  static Reply MakeStatus(std::string s) { return Reply{Type::kStatus, 0, std::move(s), {}}; }
  static Reply MakeError(std::string s) { return Reply{Type::kError, 0, std::move(s), {}}; }
  static Reply MakeInteger(int64_t i) { return Reply{Type::kInteger, i, {}, {}}; }
  static Reply MakeString(std::string s) { return Reply{Type::kString, 0, std::move(s), {}}; }
  static Reply MakeArray(std::vector<Reply> e) { return Reply{Type::kArray, 0, {}, std::move(e)}; }

  friend bool operator==(const Reply&, const Reply&) = default;
};

// Classifies a Redis error reply by its code:
//   LOADING, BUSY, TRYAGAIN, MASTERDOWN, CLUSTERDOWN, READONLY -> UNAVAILABLE
//     (the server is temporarily unable to serve; a retry can help)
//   OOM -> RESOURCE_EXHAUSTED
//   WRONGTYPE, NOSCRIPT, NOAUTH, WRONGPASS, NOPERM, EXECABORT -> FAILED_PRECONDITION
//   anything else (ERR, script errors) -> INTERNAL
// The message is the server's text, prefixed with "redis: ".
absl::Status ErrorReplyToStatus(std::string_view message);

}  // namespace smsflow::redis
