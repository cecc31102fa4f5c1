#include "lib/testing/devkafka.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "lib/testing/wait.h"

namespace smsflow::testing {

DevKafka::DevKafka(int brokers, int partitions, std::vector<std::string> extra_topics)
    : log_path_(dir_.File("devkafka.log")) {
  const std::string bootstrap_file = dir_.File("bootstrap");
  std::vector<std::string> argv = {
      SMSFLOW_DEVKAFKA_PATH,      "--brokers",        std::to_string(brokers), "--partitions",
      std::to_string(partitions), "--bootstrap-file", bootstrap_file};
  for (const std::string& topic : extra_topics) {
    argv.push_back("--topic");
    argv.push_back(topic);
  }
  process_ = std::make_unique<Subprocess>(std::move(argv), log_path_);
  const bool up = WaitFor([&] { return !ReadFile(bootstrap_file).empty() || !process_->Running(); },
                          std::chrono::seconds(30));
  bootstrap_ = std::string(absl::StripAsciiWhitespace(ReadFile(bootstrap_file)));
  if (!up || bootstrap_.empty()) {
    process_->Stop(SIGKILL);
    throw std::runtime_error(
        absl::StrCat("devkafka did not come up within 30 s; log:\n", ReadFile(log_path_)));
  }
}

DevKafka::~DevKafka() { Stop(); }

void DevKafka::Stop() {
  if (process_ != nullptr && process_->Running()) process_->Stop(SIGTERM, std::chrono::seconds(5));
}

namespace {
size_t CountOccurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

void SignalAndWait(Subprocess* process, const std::string& log_path, int sig,
                   const std::string& confirmation) {
  if (process == nullptr || !process->Running())
    throw std::runtime_error("devkafka is not running");
  const size_t before = CountOccurrences(ReadFile(log_path), confirmation);
  kill(process->pid(), sig);
  if (!WaitFor([&] { return CountOccurrences(ReadFile(log_path), confirmation) > before; })) {
    throw std::runtime_error("devkafka did not confirm '" + confirmation + "'");
  }
}
}  // namespace

void DevKafka::TakeBrokersDown() {
  SignalAndWait(process_.get(), log_path_, SIGUSR1, "devkafka: brokers down");
}

void DevKafka::BringBrokersUp() {
  SignalAndWait(process_.get(), log_path_, SIGUSR2, "devkafka: brokers up");
}

std::string UniqueTopic(std::string_view prefix) {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  return absl::StrCat(std::string(prefix), ".", getpid(), ".", counter++, ".", salt % 100000);
}

}  // namespace smsflow::testing
