#pragma once
// Connection settings for a Redis client. Header-only so that code which only
// passes settings around (test fixtures, config) needs no link dependency.

#include <chrono>
#include <string>

namespace smsflow::redis {

struct Options {
  std::string host = "127.0.0.1";
  int port = 6379;
  // ACL user for AUTH; empty means the legacy single-password AUTH.
  std::string username;
  // Empty means no AUTH.
  std::string password;
  int db = 0;
  // Bounds the TCP connect (and the AUTH/SELECT that follow it).
  std::chrono::milliseconds connect_timeout{1000};
  // Bounds each socket read and write of a command; zero means no bound.
  std::chrono::milliseconds command_timeout{1000};
};

}  // namespace smsflow::redis
