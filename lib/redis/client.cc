#include "lib/redis/client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "lib/redis/internal/hiredis_reply.h"
#include "lib/redis/internal/sigpipe.h"

namespace smsflow::redis {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

void Validate(const Options& o) {
  if (o.host.empty()) throw std::invalid_argument("redis::Options: host is empty");
  if (o.port <= 0 || o.port > 65535) {
    throw std::invalid_argument(absl::StrCat("redis::Options: port ", o.port, " out of range"));
  }
  if (o.db < 0) throw std::invalid_argument("redis::Options: db must be >= 0");
  if (o.connect_timeout.count() < 0 || o.command_timeout.count() < 0) {
    throw std::invalid_argument("redis::Options: timeouts must be >= 0");
  }
}

Args EvalShaArgs(const Script& script, const Args& keys, const Args& args) {
  Args out;
  out.reserve(3 + keys.size() + args.size());
  out.push_back("EVALSHA");
  out.push_back(script.sha());
  out.push_back(std::to_string(keys.size()));
  out.insert(out.end(), keys.begin(), keys.end());
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

// Checks the reply to SCRIPT LOAD.
absl::Status CheckLoaded(const Reply& reply, const Script& script) {
  if (reply.IsError()) return reply.ToStatus();
  if (!reply.IsString() || reply.str != script.sha()) {
    return absl::InternalError(absl::StrCat("redis: SCRIPT LOAD answered ", reply.DebugString(),
                                            ", expected sha ", script.sha()));
  }
  return absl::OkStatus();
}

bool IsNoScript(const Reply& reply) { return reply.ErrorCode() == "NOSCRIPT"; }

}  // namespace

void Client::ContextDeleter::operator()(redisContext* c) const { redisFree(c); }

Client::Client(Options options) : options_(std::move(options)) { Validate(options_); }
Client::~Client() = default;
Client::Client(Client&& other) noexcept = default;
Client& Client::operator=(Client&& other) noexcept = default;

std::string Client::Endpoint() const { return absl::StrCat(options_.host, ":", options_.port); }

absl::Status Client::IoError(const char* what) {
  std::string detail = context_ == nullptr ? "no connection" : context_->errstr;
  // After an I/O error the stream position is unknown: the connection is
  // unusable, and the next call reconnects.
  context_.reset();
  return absl::UnavailableError(absl::StrCat("redis ", Endpoint(), ": ", what, ": ", detail));
}

absl::Status Client::Connect() {
  if (context_ != nullptr) return absl::OkStatus();
  redisContext* raw = options_.connect_timeout.count() > 0
                          ? redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                    ToTimeval(options_.connect_timeout))
                          : redisConnect(options_.host.c_str(), options_.port);
  if (raw == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("redis ", Endpoint(), ": connect: cannot allocate context"));
  }
  context_.reset(raw);
  if (context_->err != 0) return IoError("connect");
  redisEnableKeepAlive(context_.get());

  // AUTH and SELECT are part of connecting, so connect_timeout bounds them.
  std::vector<Args> setup;
  if (!options_.password.empty()) {
    setup.push_back(options_.username.empty() ? Args{"AUTH", options_.password}
                                              : Args{"AUTH", options_.username, options_.password});
  }
  if (options_.db != 0) setup.push_back({"SELECT", std::to_string(options_.db)});
  if (!setup.empty()) {
    if (options_.connect_timeout.count() > 0 &&
        redisSetTimeout(context_.get(), ToTimeval(options_.connect_timeout)) != REDIS_OK) {
      return IoError("set timeout");
    }
    std::vector<const Args*> ptrs;
    for (const Args& a : setup) ptrs.push_back(&a);
    absl::StatusOr<std::vector<Reply>> replies = RoundTrip(ptrs);
    if (!replies.ok()) return replies.status();
    for (const Reply& r : *replies) {
      if (r.IsError()) {
        context_.reset();
        return r.ToStatus();
      }
    }
  }
  // Zero means "no bound": a zero timeval clears SO_RCVTIMEO/SO_SNDTIMEO.
  if (redisSetTimeout(context_.get(), ToTimeval(options_.command_timeout)) != REDIS_OK) {
    return IoError("set timeout");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Reply>> Client::RoundTrip(const std::vector<const Args*>& commands) {
  for (const Args* args : commands) {
    if (args->empty()) return absl::InvalidArgumentError("redis: empty command");
  }
  if (absl::Status s = Connect(); !s.ok()) return s;

  internal::ScopedSigpipeBlock no_sigpipe;
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (const Args* args : commands) {
    argv.clear();
    argvlen.clear();
    for (const std::string& a : *args) {
      argv.push_back(a.data());
      argvlen.push_back(a.size());
    }
    if (redisAppendCommandArgv(context_.get(), static_cast<int>(argv.size()), argv.data(),
                               argvlen.data()) != REDIS_OK) {
      return IoError("append");
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    // The first call flushes the whole output buffer, then each reads a reply.
    if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
      return IoError("read reply");
    }
    std::unique_ptr<redisReply, void (*)(void*)> reply(static_cast<redisReply*>(raw),
                                                       freeReplyObject);
    replies.push_back(internal::ConvertReply(*reply));
  }
  return replies;
}

absl::StatusOr<Reply> Client::Command(const Args& args) {
  absl::StatusOr<std::vector<Reply>> replies = RoundTrip({&args});
  if (!replies.ok()) return replies.status();
  Reply& reply = replies->front();
  if (reply.IsError()) return reply.ToStatus();
  return std::move(reply);
}

absl::StatusOr<std::vector<Reply>> Client::Pipeline(const std::vector<Args>& commands) {
  if (commands.empty()) return std::vector<Reply>{};
  std::vector<const Args*> ptrs;
  ptrs.reserve(commands.size());
  for (const Args& c : commands) ptrs.push_back(&c);
  return RoundTrip(ptrs);
}

absl::StatusOr<Reply> Client::Eval(const Script& script, const Args& keys, const Args& args) {
  const Args evalsha = EvalShaArgs(script, keys, args);
  absl::StatusOr<std::vector<Reply>> replies = RoundTrip({&evalsha});
  if (!replies.ok()) return replies.status();
  Reply reply = std::move(replies->front());
  if (IsNoScript(reply)) {
    const Args load = {"SCRIPT", "LOAD", script.source()};
    replies = RoundTrip({&load, &evalsha});
    if (!replies.ok()) return replies.status();
    if (absl::Status s = CheckLoaded((*replies)[0], script); !s.ok()) return s;
    reply = std::move((*replies)[1]);
  }
  if (reply.IsError()) return reply.ToStatus();
  return reply;
}

absl::StatusOr<std::vector<Reply>> Client::EvalPipeline(
    const Script& script, const std::vector<std::pair<Args, Args>>& calls) {
  if (calls.empty()) return std::vector<Reply>{};
  std::vector<Args> commands;
  commands.reserve(calls.size());
  for (const auto& [keys, args] : calls) commands.push_back(EvalShaArgs(script, keys, args));
  absl::StatusOr<std::vector<Reply>> replies = Pipeline(commands);
  if (!replies.ok()) return replies.status();

  std::vector<size_t> missing;
  for (size_t i = 0; i < replies->size(); ++i) {
    if (IsNoScript((*replies)[i])) missing.push_back(i);
  }
  if (missing.empty()) return replies;

  // Only the NOSCRIPT calls are re-sent: the others already ran.
  const Args load = {"SCRIPT", "LOAD", script.source()};
  std::vector<const Args*> retry = {&load};
  for (size_t i : missing) retry.push_back(&commands[i]);
  absl::StatusOr<std::vector<Reply>> retried = RoundTrip(retry);
  if (!retried.ok()) return retried.status();
  if (absl::Status s = CheckLoaded((*retried)[0], script); !s.ok()) return s;
  for (size_t j = 0; j < missing.size(); ++j) {
    (*replies)[missing[j]] = std::move((*retried)[j + 1]);
  }
  return replies;
}

absl::Status Client::Ping() {
  absl::StatusOr<Reply> reply = Command({"PING"});
  if (!reply.ok()) return reply.status();
  if (!reply->IsStatus() || reply->str != "PONG") {
    return absl::InternalError(absl::StrCat("redis: PING answered ", reply->DebugString()));
  }
  return absl::OkStatus();
}

}  // namespace smsflow::redis
