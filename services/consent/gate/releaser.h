#pragma once
// DeferredReleaser: takes held messages out of the DeferredStore when they
// come due and re-decides them through the GatePipeline (consent may have
// changed; validity still applies; a canceled one ends CANCELED; one still
// outside its window is held again). Safe with several gate replicas: due
// entries are claimed atomically under a lease (deferred_store.h).
//
// While the store is not ready (Redis lost it; the DeferredGuardian restores
// it from the journal) a round claims nothing and the loop just polls on.
//
// Owns one thread between Start() and Stop(); RunOnce() may instead be
// called directly (tests). Due-ness is judged by the injected Clock, so a
// test moves a ManualClock forward and the loop notices on its next poll.

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/consent/gate/deferred_store.h"
#include "services/consent/gate/gate_clock.h"
#include "services/consent/gate/gate_metrics.h"
#include "services/consent/gate/gate_pipeline.h"

namespace smsflow::consent::gate {

struct ReleaserOptions {
  int batch = 500;                                  // messages claimed per round
  absl::Duration poll_interval = absl::Seconds(1);  // real time between idle rounds
  // How long a claim is exclusive; past it another replica takes it over.
  // Longer than a batch can take (Kafka delivery timeout included).
  absl::Duration lease = absl::Seconds(120);
};

class DeferredReleaser {
 public:
  DeferredReleaser(DeferredStore& store, GatePipeline& pipeline, const Clock& clock,
                   GateMetrics& metrics, ReleaserOptions options = {});
  ~DeferredReleaser();  // Stop()

  // One round: claims up to `batch` due messages, decides them, acknowledges
  // the ones whose outputs are durable. Returns how many were claimed.
  absl::StatusOr<int> RunOnce();

  void Start();
  // Finishes the round in hand and joins the thread. Idempotent. Claims of
  // an interrupted round are retaken after their lease.
  void Stop();

 private:
  void Loop();

  DeferredStore& store_;
  GatePipeline& pipeline_;
  const Clock& clock_;
  GateMetrics& metrics_;
  ReleaserOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace smsflow::consent::gate
