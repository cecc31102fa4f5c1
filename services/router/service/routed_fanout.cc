#include "services/router/service/routed_fanout.h"

#include <unistd.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "lib/kafka/topics.h"
#include "lib/log/log.h"

namespace smsflow::router {

kafka::ConsumerOptions FanoutConsumerOptions(const std::string& brokers,
                                             const std::string& group_prefix) {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::random_device rd;
  kafka::ConsumerOptions opts;
  opts.brokers = brokers;
  opts.group_id = absl::StrCat(group_prefix, "-", host, "-", getpid(), "-", rd() % 1000000);
  opts.topics = {std::string(kafka::topics::kRouted)};
  opts.client_id = "smsflow-router-fanout";
  opts.extra = {{"auto.offset.reset", "latest"}};
  return opts;
}

kafka::BatchHandler FanoutHandler(SubscriptionHub& hub, RouterMetrics& metrics) {
  return [&hub, &metrics](const std::vector<kafka::Message>& batch) {
    for (const kafka::Message& m : batch) {
      v1::RoutedMessage routed;
      if (!routed.ParseFromString(m.value)) {
        metrics.subscriber_drops.Add({{"reason", "undecodable_record"}}).Increment();
        log::Warn("fan-out: undecodable routed record",
                  {{"partition", m.partition}, {"offset", static_cast<int64_t>(m.offset)}});
        continue;
      }
      hub.Publish(routed);
    }
    return std::vector<kafka::Disposition>(batch.size());
  };
}

}  // namespace smsflow::router
