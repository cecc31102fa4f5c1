#pragma once
// Conversion from hiredis' reply tree to the owning Reply. Internal to
// lib/redis (and its tests): the only place that reads redisReply fields.

#include <hiredis/hiredis.h>

#include "lib/redis/reply.h"

namespace smsflow::redis::internal {

// Deep-copies `reply` (which the caller still owns and frees). Unknown reply
// types, which RESP2 does not produce, become kError.
Reply ConvertReply(const redisReply& reply);

}  // namespace smsflow::redis::internal
