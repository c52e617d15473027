#include "study/interrupt.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>

#include "common/error.h"

namespace llmcal::study {

namespace {

std::atomic<bool> stop_requested{false};
struct sigaction previous_int {};
struct sigaction previous_term {};

void Say(const char* text) {
  // write(2) is async-signal-safe; stdio is not.
  [[maybe_unused]] const ssize_t n = write(STDERR_FILENO, text, std::strlen(text));
}

extern "C" void OnStopSignal(int) {
  if (stop_requested.exchange(true)) {
    Say("\nllmcal: stopped at once; every committed block is kept, rerun to resume\n");
    _exit(kExitInterrupted);
  }
  Say("\nllmcal: stopping after the block in flight is committed "
      "(press Ctrl-C again to exit at once)\n");
}

}  // namespace

InterruptGuard::InterruptGuard() {
  stop_requested = false;
  struct sigaction action {};
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
}

bool InterruptGuard::Requested() {
  return stop_requested.load();
}

}  // namespace llmcal::study
