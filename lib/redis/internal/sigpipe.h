#pragma once
// Blocks SIGPIPE in the calling thread for a scope and discards any SIGPIPE
// raised meanwhile. hiredis writes with write(2), which raises SIGPIPE on a
// connection the server has closed; this keeps that from killing the process
// without changing the process-wide signal disposition. SIGPIPE from write(2)
// is delivered to the writing thread, so a per-thread mask is enough.

#include <signal.h>

namespace smsflow::redis::internal {

class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock();
  ~ScopedSigpipeBlock();
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t old_mask_;
  bool was_pending_ = false;  // a SIGPIPE we must not swallow was already pending
  bool was_blocked_ = false;
};

}  // namespace smsflow::redis::internal
