#pragma once
// A Lua script known by its source, with its SHA1 (the EVALSHA key) computed
// locally once at construction. Immutable, so it can be shared across threads;
// typically a `static const Script` next to the code that runs it.

#include <string>

namespace smsflow::redis {

class Script {
 public:
  explicit Script(std::string source);

  // Lower-case hex SHA1 of the source, as Redis computes it.
  const std::string& sha() const { return sha_; }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::string sha_;
};

// Lower-case hex SHA1 of `data`.
std::string Sha1Hex(const std::string& data);

}  // namespace smsflow::redis
