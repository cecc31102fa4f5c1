#pragma once
// The consumer of sms.routed.v1 that feeds Subscribe streams. Every router
// replica must see every routed record (a subscriber may be connected to any
// replica), so each process joins its own consumer group, unique per
// process, starting at the end of the topic (auto.offset.reset=latest):
// Subscribe delivers "from the moment the stream starts", and backends that
// need history or at-least-once consume the topic themselves. The group's
// committed offsets are never reused; Kafka expires them with the group.

#include <string>

#include "lib/kafka/consumer.h"
#include "services/router/service/router_metrics.h"
#include "services/router/service/subscription_hub.h"

namespace smsflow::router {

// Options for the fan-out consumer: group "<group_prefix>-<host>-<pid>-<random>".
kafka::ConsumerOptions FanoutConsumerOptions(const std::string& brokers,
                                             const std::string& group_prefix);

// Decodes each record and publishes it to `hub`. Undecodable records are
// counted and skipped, never dead-lettered: this consumer is a view, and
// every replica would otherwise park the same record once more.
kafka::BatchHandler FanoutHandler(SubscriptionHub& hub, RouterMetrics& metrics);

}  // namespace smsflow::router
