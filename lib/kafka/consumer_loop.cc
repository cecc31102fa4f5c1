#include "lib/kafka/consumer_loop.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <set>

#include "absl/strings/str_cat.h"
#include "lib/kafka/topics.h"

namespace smsflow::kafka::internal {
ConsumerLoop::ConsumerLoop(const ConsumerOptions& options, const BatchHandler& handler,
                           Producer* dlq, ConsumerShared* shared)
    : options_(options), handler_(handler), dlq_(dlq), shared_(shared) {}

absl::Status ConsumerLoop::Init() {
  for (const char* fixed : {"enable.auto.commit", "enable.auto.offset.store", "group.id"}) {
    if (options_.extra.contains(fixed)) {
      return absl::InvalidArgumentError(
          absl::StrCat("kafka consumer: ", fixed, " is fixed and cannot be set in extra"));
    }
  }
  std::map<std::string, std::string> properties = {
      {"bootstrap.servers", options_.brokers},
      {"client.id", options_.client_id},
      {"auto.offset.reset", "earliest"},
      {"partition.assignment.strategy", "range,roundrobin"},
      {"enable.partition.eof", "false"},
      {"reconnect.backoff.max.ms", "1000"},  // as the producer: notice a returning broker soon
  };
  for (const auto& [name, value] : options_.extra) properties[name] = value;
  properties["group.id"] = options_.group_id;
  // At-least-once: we decide what is committed, and only after the work is done.
  properties["enable.auto.commit"] = "false";
  properties["enable.auto.offset.store"] = "false";

  KafkaConf conf(rd_kafka_conf_new());
  if (absl::Status status = SetAll(conf.get(), properties); !status.ok()) return status;
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_rebalance_cb(conf.get(), &RebalanceCallback);
  rd_kafka_conf_set_offset_commit_cb(conf.get(), &CommitCallback);
  rd_kafka_conf_set_error_cb(conf.get(), &ErrorCallback);
  char error[512];
  rk_.reset(rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), error, sizeof(error)));
  if (rk_ == nullptr) return absl::InvalidArgumentError(absl::StrCat("kafka consumer: ", error));
  conf.release();
  rd_kafka_poll_set_consumer(rk_.get());  // callbacks are served by consumer_poll, on our thread

  PartitionList subscription(rd_kafka_topic_partition_list_new(options_.topics.size()));
  for (const auto& topic : options_.topics) {
    rd_kafka_topic_partition_list_add(subscription.get(), topic.c_str(), RD_KAFKA_PARTITION_UA);
  }
  return ErrorToStatus(rd_kafka_subscribe(rk_.get(), subscription.get()), "kafka subscribe");
}

void ConsumerLoop::Run() {
  while (!shared_->stop) {
    ResumeDue();
    std::vector<Message> batch = Collect();
    if (!batch.empty()) HandleBatch(batch);
    Commit(/*async=*/true);
  }
  // Shutdown order: commit what is done while we still own the partitions,
  // then close (leaves the group; the revoke callback commits again, a no-op).
  Commit(/*async=*/false);
  rd_kafka_consumer_close(rk_.get());
  shared_->running = false;
}

std::chrono::milliseconds ConsumerLoop::PollTimeout() const {
  auto timeout = options_.poll_timeout;
  const auto now = std::chrono::steady_clock::now();
  for (const auto& [key, progress] : assigned_) {
    if (!progress.held) continue;
    auto until = std::chrono::duration_cast<std::chrono::milliseconds>(progress.resume_at - now);
    timeout = std::clamp(until, std::chrono::milliseconds(0), timeout);
  }
  return timeout;
}

std::vector<Message> ConsumerLoop::Collect() {
  std::vector<Message> batch;
  int timeout_ms = static_cast<int>(PollTimeout().count());
  while (batch.size() < options_.max_batch) {
    rd_kafka_message_t* rkm = rd_kafka_consumer_poll(rk_.get(), timeout_ms);
    if (rkm == nullptr) break;
    timeout_ms = 0;  // take what is already here, do not wait for more
    if (rkm->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      if (rkm->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        Log("warn",
            absl::StrCat("kafka consumer ", options_.group_id, ": ", rd_kafka_message_errstr(rkm)));
      }
    } else {
      batch.push_back(ToMessage(rkm));
    }
    rd_kafka_message_destroy(rkm);
  }
  // A rebalance inside the polls above may have taken partitions away, and a
  // held partition's prefetched messages must wait for its seek.
  std::erase_if(batch, [this](const Message& m) {
    auto it = assigned_.find({m.topic, m.partition});
    return it == assigned_.end() || it->second.held;
  });
  return batch;
}

std::vector<Disposition> ConsumerLoop::CallHandler(const std::vector<Message>& batch) {
  std::vector<Disposition> dispositions;
  std::string failure;
  try {
    dispositions = handler_(batch);
  } catch (const std::exception& e) {
    failure = absl::StrCat("handler threw: ", e.what());
  }
  if (failure.empty() && dispositions.size() != batch.size()) {
    failure = absl::StrCat("handler returned ", dispositions.size(), " dispositions for ",
                           batch.size(), " messages");
  }
  if (!failure.empty()) {
    Log("error", absl::StrCat("kafka consumer ", options_.group_id, ": ", failure));
    dispositions.assign(batch.size(), Disposition{Outcome::kRetry, failure});
  }
  return dispositions;
}

void ConsumerLoop::HandleBatch(const std::vector<Message>& batch) {
  shared_->handled += batch.size();
  const std::vector<Disposition> dispositions = CallHandler(batch);

  // Dead-letter everything before the first retry of its partition, in one
  // batch, and wait for the acknowledgements before committing past them.
  std::set<Key> retrying;
  std::vector<size_t> dlq_index;
  std::vector<Record> dlq_records;
  for (size_t i = 0; i < batch.size(); ++i) {
    Key key{batch[i].topic, batch[i].partition};
    if (retrying.contains(key)) continue;
    if (dispositions[i].outcome == Outcome::kRetry) retrying.insert(key);
    if (dispositions[i].outcome == Outcome::kDeadLetter) {
      dlq_index.push_back(i);
      dlq_records.push_back(DeadLetterRecord(batch[i], dispositions[i].reason));
    }
  }
  std::map<size_t, absl::Status> dlq_results;
  if (!dlq_records.empty()) {
    auto results = dlq_->SendAll(std::move(dlq_records));
    for (size_t j = 0; j < results.size(); ++j) dlq_results[dlq_index[j]] = results[j].status();
  }

  // Advance each partition's commit position up to its first failure.
  std::set<Key> stopped;
  for (size_t i = 0; i < batch.size(); ++i) {
    const Message& message = batch[i];
    Key key{message.topic, message.partition};
    if (stopped.contains(key)) continue;
    Outcome outcome = dispositions[i].outcome;
    std::string reason = dispositions[i].reason;
    if (outcome == Outcome::kDeadLetter && !dlq_results[i].ok()) {
      outcome = Outcome::kRetry;
      reason = absl::StrCat("dead-letter send failed: ", dlq_results[i].message());
    }
    if (outcome == Outcome::kRetry) {
      stopped.insert(key);
      Hold(key, message.offset, reason);
      continue;
    }
    (outcome == Outcome::kDone ? shared_->done : shared_->dead_lettered) += 1;
    Progress& progress = assigned_[key];
    progress.commit_next = message.offset + 1;
    progress.dirty = true;
  }
}

void ConsumerLoop::Hold(const Key& key, int64_t offset, const std::string& reason) {
  shared_->retried += 1;
  Log("info",
      absl::StrCat("kafka consumer ", options_.group_id, ": retry ", key.first, "[", key.second,
                   "]@", offset, " in ", options_.retry_backoff.count(), " ms: ", reason));
  Progress& progress = assigned_[key];
  progress.held = true;
  progress.retry_offset = offset;
  progress.resume_at = std::chrono::steady_clock::now() + options_.retry_backoff;
  PartitionList list = OneOffset(key.first, key.second, RD_KAFKA_OFFSET_INVALID);
  rd_kafka_pause_partitions(rk_.get(), list.get());
}

void ConsumerLoop::ResumeDue() {
  const auto now = std::chrono::steady_clock::now();
  for (auto& [key, progress] : assigned_) {
    if (!progress.held || progress.resume_at > now) continue;
    progress.held = false;
    PartitionList list = OneOffset(key.first, key.second, progress.retry_offset);
    // Resume first, then seek: the seek purges whatever the resumed fetcher
    // prefetched from the old position, so the retried offset comes next.
    rd_kafka_resume_partitions(rk_.get(), list.get());
    rd_kafka_error_t* error = rd_kafka_seek_partitions(rk_.get(), list.get(), 5000);
    if (error == nullptr && list->elems[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      Log("error", absl::StrCat("kafka seek ", key.first, "[", key.second,
                                "]: ", rd_kafka_err2str(list->elems[0].err)));
    }
    if (error != nullptr) {
      Log("error", absl::StrCat("kafka seek ", key.first, ": ", rd_kafka_error_string(error)));
      rd_kafka_error_destroy(error);
    }
  }
}

void ConsumerLoop::Commit(bool async, const std::vector<Key>* only) {
  PartitionList offsets(rd_kafka_topic_partition_list_new(static_cast<int>(assigned_.size())));
  std::vector<Progress*> committing;
  for (auto& [key, progress] : assigned_) {
    if (!progress.dirty) continue;
    if (only != nullptr && std::find(only->begin(), only->end(), key) == only->end()) continue;
    rd_kafka_topic_partition_list_add(offsets.get(), key.first.c_str(), key.second)->offset =
        progress.commit_next;
    committing.push_back(&progress);
  }
  if (committing.empty()) return;
  // Clean now; a failed async commit marks its partitions dirty again.
  for (Progress* progress : committing) progress->dirty = false;
  const rd_kafka_resp_err_t err = rd_kafka_commit(rk_.get(), offsets.get(), async ? 1 : 0);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (Progress* progress : committing) progress->dirty = true;
    if (async) shared_->commit_failures += 1;  // a failed sync commit is counted by the callback
    Log("warn", absl::StrCat("kafka commit (", options_.group_id, "): ", rd_kafka_err2str(err)));
  }
}

void ConsumerLoop::OnAssign(rd_kafka_topic_partition_list_t* partitions) {
  for (int i = 0; i < partitions->cnt; ++i) {
    assigned_[{partitions->elems[i].topic, partitions->elems[i].partition}] = Progress{};
  }
  rd_kafka_error_t* error = nullptr;
  if (cooperative_) {
    error = rd_kafka_incremental_assign(rk_.get(), partitions);
  } else if (rd_kafka_resp_err_t err = rd_kafka_assign(rk_.get(), partitions); err) {
    error = rd_kafka_error_new(err, "%s", rd_kafka_err2str(err));
  }
  if (error != nullptr) {
    Log("error", absl::StrCat("kafka assign: ", rd_kafka_error_string(error)));
    rd_kafka_error_destroy(error);
  }
  if (options_.on_assigned) options_.on_assigned(ToPairs(partitions));
}

void ConsumerLoop::OnRevoke(rd_kafka_topic_partition_list_t* partitions) {
  std::vector<Key> revoked;
  for (int i = 0; i < partitions->cnt; ++i) {
    revoked.emplace_back(partitions->elems[i].topic, partitions->elems[i].partition);
  }
  // Commit what is done while we still own it (pointless if already lost).
  if (!rd_kafka_assignment_lost(rk_.get())) Commit(/*async=*/false, &revoked);
  rd_kafka_resume_partitions(rk_.get(), partitions);  // no pause survives into a later assignment
  for (const Key& key : revoked) assigned_.erase(key);
  rd_kafka_error_t* error = nullptr;
  if (cooperative_) {
    error = rd_kafka_incremental_unassign(rk_.get(), partitions);
  } else {
    rd_kafka_assign(rk_.get(), nullptr);
  }
  if (error != nullptr) rd_kafka_error_destroy(error);
  if (options_.on_revoked) options_.on_revoked(ToPairs(partitions));
}

void ConsumerLoop::RebalanceCallback(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                                     rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* self = static_cast<ConsumerLoop*>(opaque);
  self->cooperative_ = std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    self->OnAssign(partitions);
  } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    self->OnRevoke(partitions);
  } else {
    Log("error", absl::StrCat("kafka rebalance: ", rd_kafka_err2str(err)));
    self->OnRevoke(partitions);
  }
}

void ConsumerLoop::CommitCallback(rd_kafka_t* /*rk*/, rd_kafka_resp_err_t err,
                                  rd_kafka_topic_partition_list_t* offsets, void* opaque) {
  auto* self = static_cast<ConsumerLoop*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
  bool failed = err != RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; offsets != nullptr && i < offsets->cnt; ++i) {
    if (offsets->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    failed = true;
    auto it = self->assigned_.find({offsets->elems[i].topic, offsets->elems[i].partition});
    if (it != self->assigned_.end()) it->second.dirty = true;  // try again next round
  }
  (failed ? self->shared_->commit_failures : self->shared_->commits) += 1;
}

void ConsumerLoop::ErrorCallback(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<ConsumerLoop*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char detail[512];
    rd_kafka_fatal_error(rk, detail, sizeof(detail));
    self->shared_->fatal = true;
    Log("error", absl::StrCat("kafka consumer fatal: ", detail));
    return;
  }
  Log("warn", absl::StrCat("kafka consumer ", self->options_.group_id, ": ", reason));
}

}  // namespace smsflow::kafka::internal
