#include "lib/kafka/topics.h"

namespace smsflow::kafka::topics {

std::string Dlq(std::string_view topic) { return std::string(topic) + std::string(kDlqSuffix); }

std::vector<std::string> All() {
  std::vector<std::string> main = {std::string(kInbound), std::string(kDelivery),
                                   std::string(kConsent), std::string(kOutboundRequested),
                                   std::string(kRouted),  std::string(kOutboundDeferred)};
  for (std::string_view lane : kApprovedLanes) main.emplace_back(lane);
  std::vector<std::string> all = main;
  for (const std::string& topic : main) all.push_back(Dlq(topic));
  return all;
}

}  // namespace smsflow::kafka::topics
