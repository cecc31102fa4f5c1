#pragma once
// Protobuf record values: ProtoRecord builds one to produce (with the type
// header every smsflow record carries); ProtoBatchHandler decodes them for a
// consumer, and undecodable records go to the dead-letter topic and never
// reach the typed handler.

#include <google/protobuf/message_lite.h>

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "lib/kafka/consumer.h"

namespace smsflow::kafka {

// `value` serialized under `key` on `topic`, with kTypeHeader naming its type.
inline Record ProtoRecord(std::string_view topic, std::string key,
                          const google::protobuf::MessageLite& value) {
  return Record{std::string(topic),
                std::move(key),
                value.SerializeAsString(),
                {{std::string(kTypeHeader), value.GetTypeName()}}};
}

template <typename T>
using ProtoBatch = std::vector<std::pair<const Message*, T>>;

// Wraps a typed handler as a BatchHandler. Each value is parsed as T; those
// that fail are dead-lettered with reason "decode: <TypeName> parse failed".
// The inner handler gets the decoded ones (in order) and returns one
// Disposition per pair. Stateless: safe to call from the consumer thread.
template <typename T>
BatchHandler ProtoBatchHandler(
    std::function<std::vector<Disposition>(const ProtoBatch<T>&)> inner) {
  static_assert(std::is_base_of_v<google::protobuf::MessageLite, T>);
  return [inner = std::move(inner)](const std::vector<Message>& batch) {
    std::vector<Disposition> out(batch.size());
    ProtoBatch<T> decoded;
    std::vector<size_t> where;  // batch index of each decoded pair
    decoded.reserve(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      T value;
      if (!value.ParseFromString(batch[i].value)) {
        out[i] =
            Disposition{Outcome::kDeadLetter, "decode: " + value.GetTypeName() + " parse failed"};
        continue;
      }
      decoded.emplace_back(&batch[i], std::move(value));
      where.push_back(i);
    }
    if (decoded.empty()) return out;
    std::vector<Disposition> inner_out = inner(decoded);
    if (inner_out.size() != decoded.size()) {
      // A handler bug: retry rather than guess which records it meant.
      std::string reason = "handler returned " + std::to_string(inner_out.size()) +
                           " dispositions for " + std::to_string(decoded.size()) + " messages";
      inner_out.assign(decoded.size(), Disposition{Outcome::kRetry, reason});
    }
    for (size_t j = 0; j < where.size(); ++j) out[where[j]] = std::move(inner_out[j]);
    return out;
  };
}

}  // namespace smsflow::kafka
