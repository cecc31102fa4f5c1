#include "lib/redis/internal/hiredis_reply.h"

#include "absl/strings/str_cat.h"

namespace smsflow::redis::internal {

Reply ConvertReply(const redisReply& reply) {
  Reply out;
  auto text = [&reply] {
    return reply.str == nullptr ? std::string() : std::string(reply.str, reply.len);
  };
  switch (reply.type) {
    case REDIS_REPLY_NIL:
      out.type = Reply::Type::kNil;
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::kStatus;
      out.str = text();
      break;
    case REDIS_REPLY_ERROR:
      out.type = Reply::Type::kError;
      out.str = text();
      break;
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::kInteger;
      out.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::kString;
      out.str = text();
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::kArray;
      out.elements.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i) {
        out.elements.push_back(reply.element[i] == nullptr ? Reply{}
                                                           : ConvertReply(*reply.element[i]));
      }
      break;
    default:
      out.type = Reply::Type::kError;
      out.str = absl::StrCat("ERR unsupported reply type ", reply.type);
      break;
  }
  return out;
}

}  // namespace smsflow::redis::internal
