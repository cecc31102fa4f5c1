#pragma once
// Producing records to Kafka: the interface services depend on, and the
// factory for the librdkafka-backed implementation.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/kafka/record.h"

namespace smsflow::kafka {

// Interface services depend on (tests may substitute). Implementations are
// thread-safe: any thread may call any method concurrently.
class Producer {
 public:
  using DoneCallback = std::function<void(absl::StatusOr<Delivered>)>;

  virtual ~Producer() = default;

  // Enqueues `record`; `done` runs exactly once, on the producer's delivery
  // thread, when the broker acknowledged the record (acks=all) or it
  // definitively failed: UNAVAILABLE when the broker is down or the delivery
  // timeout passed (retriable), INVALID_ARGUMENT for a record the broker will
  // never take (too large, ...). `done` must not block for long.
  virtual void Send(Record record, DoneCallback done) = 0;

  // Sends all records, then waits for every acknowledgement: one batch, not a
  // round trip per record. Results are in input order.
  std::vector<absl::StatusOr<Delivered>> SendAll(std::vector<Record> records);
  absl::StatusOr<Delivered> SendSync(Record record);

  // Waits until every record sent so far has its `done` run; UNAVAILABLE if
  // some are still outstanding after `timeout`.
  virtual absl::Status Flush(std::chrono::milliseconds timeout) = 0;

  // Asks the cluster for metadata within `timeout`; OK iff a broker answered.
  // Used by health checks.
  virtual absl::Status Ping(std::chrono::milliseconds timeout) = 0;
};

struct ProducerOptions {
  std::string brokers;  // bootstrap list, "host:port,host:port"
  std::string client_id = "smsflow";
  // message.timeout.ms: after this a send fails with UNAVAILABLE (reported
  // within about a second of it: reconnect.backoff.max.ms defaults to 1000).
  std::chrono::milliseconds delivery_timeout{30000};
  std::chrono::milliseconds linger{5};
  // Any other librdkafka property; applied last, so it may override the above
  // (but not enable.idempotence/acks, which are what makes sends safe).
  std::map<std::string, std::string> extra;
};

// INVALID_ARGUMENT if a property is unknown or has a bad value.
absl::StatusOr<std::unique_ptr<Producer>> MakeProducer(const ProducerOptions& options);

}  // namespace smsflow::kafka
