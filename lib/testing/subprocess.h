#pragma once
// A child process owned by a test: started with fork/exec, its output sent to
// a log file, and always killed (and reaped) when the owner goes away.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace smsflow::testing {

class Subprocess {
 public:
  // Starts `argv[0]` with `argv`; stdout and stderr are appended to `log_path`
  // (or discarded when empty). Throws std::runtime_error if exec fails.
  Subprocess(std::vector<std::string> argv, std::string log_path = {});
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  // Sends `sig` and waits up to `grace` for the child to exit, then SIGKILLs it.
  // Returns the exit status as from waitpid (or -1 if already reaped).
  int Stop(int sig, std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Waits for the child to exit on its own; -1 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  const std::string& log_path() const { return log_path_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_path_;
};

// A fresh directory under $TMPDIR (or /tmp), removed with its contents by the
// destructor unless SMSFLOW_KEEP_TEST_DIRS is set.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Reads a whole file; empty if it does not exist.
std::string ReadFile(const std::string& path);

// A loopback TCP port that was free a moment ago (bind to port 0, read it
// back, close). Only for programs that cannot bind port 0 themselves, such as
// redis-server; callers retry on a bind race.
int PickFreePort();

}  // namespace smsflow::testing
