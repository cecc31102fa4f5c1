#include "lib/kafka/consumer.h"

#include <stdexcept>

#include "lib/kafka/consumer_loop.h"

namespace smsflow::kafka {

Consumer::Consumer(ConsumerOptions options, BatchHandler handler, Producer* dlq_producer)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      dlq_producer_(dlq_producer),
      shared_(std::make_unique<internal::ConsumerShared>()) {
  if (dlq_producer_ == nullptr) throw std::invalid_argument("kafka consumer: dlq_producer is null");
  if (!handler_) throw std::invalid_argument("kafka consumer: handler is empty");
  if (options_.brokers.empty()) throw std::invalid_argument("kafka consumer: brokers is empty");
  if (options_.group_id.empty()) throw std::invalid_argument("kafka consumer: group_id is empty");
  if (options_.topics.empty()) throw std::invalid_argument("kafka consumer: no topics");
  if (options_.max_batch == 0) throw std::invalid_argument("kafka consumer: max_batch is 0");
}

Consumer::~Consumer() { Stop(); }

absl::Status Consumer::Start() {
  if (loop_ != nullptr) return absl::FailedPreconditionError("kafka consumer already started");
  auto loop =
      std::make_unique<internal::ConsumerLoop>(options_, handler_, dlq_producer_, shared_.get());
  if (absl::Status status = loop->Init(); !status.ok()) return status;
  loop_ = std::move(loop);
  shared_->stop = false;
  shared_->running = true;
  thread_ = std::thread([loop = loop_.get()] { loop->Run(); });
  return absl::OkStatus();
}

void Consumer::Stop() {
  if (loop_ == nullptr) return;
  shared_->stop = true;
  thread_.join();
  loop_.reset();  // destroys the (closed) handle
}

bool Consumer::Healthy() const { return shared_->running && !shared_->fatal; }

ConsumerStats Consumer::Stats() const {
  return ConsumerStats{shared_->handled, shared_->done,    shared_->dead_lettered,
                       shared_->retried, shared_->commits, shared_->commit_failures};
}

}  // namespace smsflow::kafka
