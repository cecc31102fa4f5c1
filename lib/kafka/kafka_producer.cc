// The librdkafka-backed Producer behind MakeProducer().

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/kafka/producer.h"
#include "lib/kafka/rdkafka_util.h"

namespace smsflow::kafka {
namespace {

using internal::ErrorToStatus;
using internal::KafkaConf;
using internal::KafkaHandle;

// Owns one rd_kafka_t (idempotent producer, acks=all) and the delivery thread
// that polls it for delivery reports; every `done` callback runs on that
// thread. Thread-safe. The destructor flushes (bounded), fails whatever is
// still outstanding with UNAVAILABLE, then joins the thread.
class KafkaProducer final : public Producer {
 public:
  explicit KafkaProducer(std::chrono::milliseconds delivery_timeout)
      : delivery_timeout_(delivery_timeout) {}

  // Creates the handle with this object as its opaque (delivery reports find
  // their producer through it) and starts the delivery thread.
  absl::Status Start(KafkaConf conf) {
    rd_kafka_conf_set_dr_msg_cb(conf.get(), &KafkaProducer::OnDelivery);
    rd_kafka_conf_set_opaque(conf.get(), this);
    char error[512];
    rk_.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), error, sizeof(error)));
    if (rk_ == nullptr) return absl::InvalidArgumentError(absl::StrCat("kafka producer: ", error));
    conf.release();  // owned by rk_ now
    thread_ = std::thread([this] { Run(); });
    return absl::OkStatus();
  }

  ~KafkaProducer() override {
    if (rk_ == nullptr) return;
    // Give in-flight records their chance, then fail the rest rather than
    // leave a `done` unrun: callers count on exactly one call each.
    const auto grace = std::min<std::chrono::milliseconds>(
        delivery_timeout_ + std::chrono::milliseconds(500), std::chrono::seconds(10));
    if (!Flush(grace).ok()) {
      rd_kafka_purge(rk_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      (void)Flush(std::chrono::seconds(2));
    }
    stop_ = true;
    thread_.join();
    rd_kafka_poll(rk_.get(), 0);  // stragglers, now on this thread: the delivery thread is gone
    RunImmediateFailures();
  }

  void Send(Record record, DoneCallback done) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++outstanding_;
    }
    rd_kafka_headers_t* headers = nullptr;
    if (!record.headers.empty()) {
      headers = rd_kafka_headers_new(record.headers.size());
      for (const auto& header : record.headers) {
        rd_kafka_header_add(headers, header.key.data(), static_cast<ssize_t>(header.key.size()),
                            header.value.data(), static_cast<ssize_t>(header.value.size()));
      }
    }
    auto* callback = new DoneCallback(std::move(done));
    // An empty key is sent as a null key so keyless records spread over
    // partitions; an empty value as a null value, the tombstone that lets
    // compaction drop the key (consumers read null and empty alike).
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_.get(), RD_KAFKA_V_TOPIC(record.topic.c_str()),
        RD_KAFKA_V_KEY(record.key.empty() ? nullptr : record.key.data(), record.key.size()),
        RD_KAFKA_V_VALUE(record.value.empty() ? nullptr : record.value.data(), record.value.size()),
        RD_KAFKA_V_PARTITION(record.partition < 0 ? RD_KAFKA_PARTITION_UA : record.partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(callback), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (headers != nullptr) rd_kafka_headers_destroy(headers);  // not taken over on failure
      std::lock_guard<std::mutex> lock(mu_);
      immediate_failures_.emplace_back(
          std::move(*callback), ErrorToStatus(err, absl::StrCat("produce to ", record.topic)));
      delete callback;
    }
  }

  absl::Status Flush(std::chrono::milliseconds timeout) override {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return outstanding_ == 0; })) {
      return absl::UnavailableError(absl::StrCat(
          "kafka flush: ", outstanding_, " records unacknowledged after ", timeout.count(), " ms"));
    }
    return absl::OkStatus();
  }

  absl::Status Ping(std::chrono::milliseconds timeout) override {
    const rd_kafka_metadata_t* metadata = nullptr;
    // No topics: only the broker list, which needs a broker that answers.
    const rd_kafka_resp_err_t err =
        rd_kafka_metadata(rk_.get(), 0, nullptr, &metadata, static_cast<int>(timeout.count()));
    if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
    return ErrorToStatus(err, "kafka metadata");
  }

  static void OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* message, void* opaque) {
    auto* self = static_cast<KafkaProducer*>(opaque);
    std::unique_ptr<DoneCallback> callback(static_cast<DoneCallback*>(message->_private));
    absl::StatusOr<Delivered> result = Delivered{message->partition, message->offset};
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      result = ErrorToStatus(message->err,
                             absl::StrCat("deliver to ", rd_kafka_topic_name(message->rkt)));
    }
    (*callback)(std::move(result));
    self->Finished(1);
  }

 private:
  void Run() {
    while (!stop_) {
      rd_kafka_poll(rk_.get(), 50);
      RunImmediateFailures();
    }
  }

  void RunImmediateFailures() {
    std::vector<std::pair<DoneCallback, absl::Status>> failures;
    {
      std::lock_guard<std::mutex> lock(mu_);
      failures.swap(immediate_failures_);
    }
    for (auto& [callback, status] : failures) callback(std::move(status));
    if (!failures.empty()) Finished(failures.size());
  }

  void Finished(size_t count) {
    std::lock_guard<std::mutex> lock(mu_);
    outstanding_ -= count;
    if (outstanding_ == 0) cv_.notify_all();
  }

  KafkaHandle rk_;
  const std::chrono::milliseconds delivery_timeout_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  size_t outstanding_ = 0;  // sent, `done` not yet run; guarded by mu_
  std::vector<std::pair<DoneCallback, absl::Status>> immediate_failures_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Producer>> MakeProducer(const ProducerOptions& options) {
  if (options.brokers.empty())
    return absl::InvalidArgumentError("kafka producer: brokers is empty");
  for (const char* fixed : {"enable.idempotence", "acks", "dr_msg_cb"}) {
    if (options.extra.contains(fixed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("kafka producer: ", fixed, " is fixed and cannot be set in extra"));
    }
  }
  std::map<std::string, std::string> properties = {
      {"bootstrap.servers", options.brokers},
      {"client.id", options.client_id},
      {"message.timeout.ms", std::to_string(options.delivery_timeout.count())},
      {"linger.ms", std::to_string(options.linger.count())},
      // librdkafka 2.0 only times messages out when the leader's broker thread
      // wakes; with the default 10 s reconnect backoff a send to a dead broker
      // could fail up to 10 s after message.timeout.ms. 1 s keeps failures
      // close to delivery_timeout (and matches the Java client's default).
      {"reconnect.backoff.max.ms", "1000"},
  };
  for (const auto& [name, value] : options.extra) properties[name] = value;
  properties["enable.idempotence"] = "true";
  properties["acks"] = "all";

  KafkaConf conf(rd_kafka_conf_new());
  if (absl::Status status = internal::SetAll(conf.get(), properties); !status.ok()) return status;
  auto producer = std::make_unique<KafkaProducer>(options.delivery_timeout);
  if (absl::Status status = producer->Start(std::move(conf)); !status.ok()) return status;
  return std::unique_ptr<Producer>(std::move(producer));
}

}  // namespace smsflow::kafka
