#include "services/consent/ledger/view_rebuild.h"

#include <google/protobuf/util/message_differencer.h>
#include <librdkafka/rdkafka.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/consent_view/consent_view.h"
#include "lib/kafka/consumer.h"
#include "lib/log/log.h"
#include "lib/sms/message_id.h"
#include "services/consent/ledger/consent_history.h"
#include "services/consent/ledger/ledger_applier.h"
#include "services/consent/ledger/view_scan.h"

namespace smsflow::consent::ledger {
namespace {

struct RdDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  void operator()(rd_kafka_topic_t* t) const { rd_kafka_topic_destroy(t); }
};

// "<version>|<state>" as ConsentView stores it.
bool ParseValue(const std::string& v, int64_t* version, v1::ConsentState* state) {
  const size_t sep = v.find('|');
  return sep != std::string::npos && absl::SimpleAtoi(absl::string_view(v.data(), sep), version) &&
         state->ParseFromArray(v.data() + sep + 1, static_cast<int>(v.size() - sep - 1));
}

}  // namespace

absl::StatusOr<std::map<int32_t, int64_t>> EndOffsets(const std::string& brokers,
                                                      const std::string& topic,
                                                      std::chrono::milliseconds timeout) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err) !=
      RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return absl::InvalidArgumentError(absl::StrCat("brokers: ", err));
  }
  std::unique_ptr<rd_kafka_t, RdDeleter> rk(rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("rd_kafka_new: ", err));
  }
  std::unique_ptr<rd_kafka_topic_t, RdDeleter> rkt(
      rd_kafka_topic_new(rk.get(), topic.c_str(), nullptr));
  const rd_kafka_metadata_t* md = nullptr;
  const int ms = static_cast<int>(timeout.count());
  if (rd_kafka_resp_err_t e = rd_kafka_metadata(rk.get(), 0, rkt.get(), &md, ms); e != 0) {
    return absl::UnavailableError(absl::StrCat("metadata of ", topic, ": ", rd_kafka_err2str(e)));
  }
  std::vector<int32_t> partitions;
  for (int t = 0; t < md->topic_cnt; ++t) {
    if (md->topics[t].err != 0) {
      const std::string why = rd_kafka_err2str(md->topics[t].err);
      rd_kafka_metadata_destroy(md);
      return absl::UnavailableError(absl::StrCat("metadata of ", topic, ": ", why));
    }
    for (int p = 0; p < md->topics[t].partition_cnt; ++p) {
      partitions.push_back(md->topics[t].partitions[p].id);
    }
  }
  rd_kafka_metadata_destroy(md);
  std::map<int32_t, int64_t> out;
  for (int32_t p : partitions) {
    int64_t lo = 0, hi = 0;
    if (rd_kafka_resp_err_t e =
            rd_kafka_query_watermark_offsets(rk.get(), topic.c_str(), p, &lo, &hi, ms);
        e != 0) {
      return absl::UnavailableError(
          absl::StrCat("watermarks of ", topic, "/", p, ": ", rd_kafka_err2str(e)));
    }
    out[p] = hi;
  }
  return out;
}

absl::StatusOr<RebuildReport> RebuildView(const RebuildOptions& options, redis::Pool& pool,
                                          kafka::Producer& producer) {
  if (options.view_prefix.empty()) return absl::InvalidArgumentError("view_prefix: required");
  RebuildReport report;
  auto ends = EndOffsets(options.brokers, options.topic, std::chrono::seconds(10));
  if (!ends.ok()) return ends.status();
  report.end_offsets = *ends;

  consentview::ConsentView view(pool, options.view_prefix);
  std::unique_ptr<ConsentHistory> history;
  if (!options.history_prefix.empty()) {
    history = std::make_unique<ConsentHistory>(pool, options.history_prefix);
  }
  LedgerApplier applier(view, history.get(), nullptr);
  kafka::BatchHandler inner = applier.AsBatchHandler();

  std::mutex mu;
  std::condition_variable cv;
  std::map<int32_t, int64_t> next;  // per partition: offset after the last applied record
  auto caught_up = [&] {
    for (const auto& [p, end] : report.end_offsets) {
      if (end <= 0) continue;
      auto it = next.find(p);
      if (it == next.end() || it->second < end) return false;
    }
    return true;
  };
  kafka::ConsumerOptions copts;
  copts.brokers = options.brokers;
  copts.group_id = absl::StrCat("smsflow-consent-rebuild-", sms::NewMessageId());
  copts.topics = {options.topic};
  copts.extra = options.consumer_extra;
  copts.extra["auto.offset.reset"] = "earliest";
  kafka::Consumer consumer(
      copts,
      [&](const std::vector<kafka::Message>& batch) {
        std::vector<kafka::Disposition> d = inner(batch);
        std::lock_guard lock(mu);
        for (size_t i = 0; i < batch.size(); ++i) {
          if (d[i].outcome == kafka::Outcome::kRetry) break;  // the rest comes again
          if (d[i].outcome == kafka::Outcome::kDeadLetter) {
            // Already skipped by the live consumer too; parking it twice helps nobody.
            ++report.events_skipped;
            d[i] = {};
          } else {
            ++report.events_applied;
          }
          int64_t& n = next[batch[i].partition];
          n = std::max(n, batch[i].offset + 1);
        }
        cv.notify_all();
        return d;
      },
      &producer);
  if (auto s = consumer.Start(); !s.ok()) return s;
  bool done = false;
  {
    std::unique_lock lock(mu);
    done = cv.wait_for(lock, options.timeout, caught_up);
  }
  consumer.Stop();
  if (!done) {
    return absl::DeadlineExceededError(absl::StrCat("rebuild: not caught up with ", options.topic,
                                                    " after ", options.timeout.count(), " ms (",
                                                    report.events_applied, " applied)"));
  }
  log::Info("consent view rebuilt", {{"prefix", options.view_prefix},
                                     {"events", report.events_applied},
                                     {"skipped", report.events_skipped}});
  return report;
}

absl::StatusOr<ViewDiff> CompareViews(redis::Pool& pool, const std::string& live_prefix,
                                      const std::string& rebuilt_prefix) {
  if (live_prefix.empty() || rebuilt_prefix.empty() ||
      absl::StartsWith(live_prefix, rebuilt_prefix) ||
      absl::StartsWith(rebuilt_prefix, live_prefix)) {
    return absl::InvalidArgumentError(
        "rebuilt_prefix: must differ from the live prefix and neither may start with the other");
  }
  std::set<std::string> suffixes;
  for (const std::string* prefix : {&live_prefix, &rebuilt_prefix}) {
    auto s = ScanKeys(pool, GlobEscape(*prefix) + "*", [&](std::vector<std::string>& keys) {
      for (const std::string& k : keys) {
        if (ParseViewKey(std::string_view(k).substr(prefix->size())).has_value()) {
          suffixes.insert(k.substr(prefix->size()));
        }
      }
      return true;
    });
    if (!s.ok()) return s;
  }
  ViewDiff diff;
  std::vector<std::string> all(suffixes.begin(), suffixes.end());
  constexpr size_t kChunk = 500;
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  for (size_t at = 0; at < all.size(); at += kChunk) {
    const size_t n = std::min(kChunk, all.size() - at);
    redis::Args live = {"MGET"}, rebuilt = {"MGET"};
    for (size_t i = 0; i < n; ++i) {
      live.push_back(live_prefix + all[at + i]);
      rebuilt.push_back(rebuilt_prefix + all[at + i]);
    }
    auto replies = (*lease)->Pipeline({live, rebuilt});
    if (!replies.ok()) return replies.status();
    for (size_t i = 0; i < n; ++i) {
      const redis::Reply& a = (*replies)[0].elements[i];
      const redis::Reply& b = (*replies)[1].elements[i];
      bool bad = false;
      if (a.IsNil() || b.IsNil()) {
        ++(a.IsNil() ? diff.only_rebuilt : diff.only_live);
        bad = true;
      } else {
        int64_t va = 0, vb = 0;
        v1::ConsentState sa, sb;
        if (!ParseValue(a.str, &va, &sa) || !ParseValue(b.str, &vb, &sb)) {
          ++diff.different;
          bad = true;
        } else if (va > vb) {
          ++diff.live_newer;
        } else if (va == vb && google::protobuf::util::MessageDifferencer::Equals(sa, sb)) {
          ++diff.same;
        } else {
          ++diff.different;
          bad = true;
        }
      }
      if (bad && diff.examples.size() < 20) diff.examples.push_back(*ParseViewKey(all[at + i]));
    }
  }
  return diff;
}

}  // namespace smsflow::consent::ledger
