// Ctrl-C and SIGTERM during a study run: the first asks the runner to stop
// after the block in flight is committed (or abandoned, never half-written);
// the second exits at once with kExitInterrupted, which loses only the block
// in flight, since every committed block is already on disk. Slurm's
// time-limit SIGTERM thus ends a shard cleanly, and rerunning resumes it.
#pragma once

namespace llmcal::study {

// Installs the SIGINT and SIGTERM handlers for its lifetime and restores the
// previous ones after. One at a time per process.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // True once a stop was asked for. Async-signal-safe.
  static bool Requested();
};

}  // namespace llmcal::study
