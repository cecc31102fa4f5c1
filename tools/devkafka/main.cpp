// devkafka: a Kafka-protocol mock cluster for local runs and tests. Wiring only.
// Signals: SIGTERM/SIGINT stop it; SIGUSR1 takes all brokers down and SIGUSR2
// brings them back (data kept), for outage drills.

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "lib/kafka/topics.h"
#include "tools/devkafka/mock_cluster.h"
#include "tools/devkafka/options.h"

int main(int argc, char** argv) {
  using namespace smsflow;
  // Block the stop signals before librdkafka starts threads (they inherit the
  // mask), so that sigwait below is the only place they arrive.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGUSR1);  // brokers down (outage drill)
  sigaddset(&stop_signals, SIGUSR2);  // brokers up again
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<devkafka::Options> options =
      devkafka::ParseOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    const bool help = absl::IsNotFound(options.status());
    (help ? std::cout : std::cerr) << options.status().message();
    return help ? 0 : 2;
  }
  absl::StatusOr<std::unique_ptr<devkafka::MockCluster>> cluster =
      devkafka::MockCluster::Create(options->brokers);
  if (!cluster.ok()) {
    std::cerr << cluster.status().message() << "\n";
    return 1;
  }
  std::vector<std::string> topics = kafka::topics::All();
  topics.insert(topics.end(), options->topics.begin(), options->topics.end());
  if (absl::Status status = (*cluster)->CreateTopics(topics, options->partitions); !status.ok()) {
    std::cerr << status.message() << "\n";
    return 1;
  }
  // Announce only when every topic exists: readers of the file may use them at once.
  std::cout << (*cluster)->bootstrap() << std::endl;
  if (!options->bootstrap_file.empty()) {
    absl::Status status =
        devkafka::WriteFileAtomically(options->bootstrap_file, (*cluster)->bootstrap() + "\n");
    if (!status.ok()) {
      std::cerr << status.message() << "\n";
      return 1;
    }
  }
  std::cerr << "devkafka: " << options->brokers << " broker(s), " << topics.size()
            << " topics, bootstrap " << (*cluster)->bootstrap() << "\n";
  int signal_number = 0;
  while (sigwait(&stop_signals, &signal_number) == 0 &&
         (signal_number == SIGUSR1 || signal_number == SIGUSR2)) {
    const bool up = signal_number == SIGUSR2;
    if (absl::Status st = (*cluster)->SetBrokersUp(up); !st.ok()) {
      std::cerr << st.message() << std::endl;
    } else {
      std::cerr << (up ? "devkafka: brokers up" : "devkafka: brokers down") << std::endl;
    }
  }
  std::cerr << "devkafka: signal " << signal_number << ", stopping" << std::endl;
  // All state is in memory and dies with the process; skipping the mock's
  // orderly teardown (about a second) makes "Kafka goes away" immediate.
  std::_Exit(0);
}
