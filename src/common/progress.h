// Progress of long work on stderr, shared by scoring (study/runner.h: per
// (model, task, style) the items stored of those planned, items/s, tokens/s
// and the time left) and the analysis (analysis/analyze_store.h: units of
// work done of the total, units/s and the time left). On a terminal one line
// is redrawn in place; otherwise (a log file, Slurm's output) a plain line is
// written when each run starts, every 10 s, and when it ends. Quiet mode
// shows no progress, only notes (warnings), which every mode shows.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace llmcal {

// How progress shows on a stream: the same three modes for scoring, the
// analysis and downloads (fetch/download_progress.h).
enum class ProgressMode {
  kRedraw,  // a terminal: one line redrawn in place
  kLines,   // a plain line at the start, every interval, and at the end
  kQuiet,   // no progress (a scoring run still shows its notes)
};

// The one decision of the mode, for every progress display of a command:
// kQuiet when `quiet`, else kRedraw when `out` is a terminal, else kLines.
ProgressMode ProgressModeFor(std::FILE* out, bool quiet);

// What long work reports as it goes. Calls come from one thread.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A run starts scoring: `planned` items in this plan, `stored` of them
  // already in the store. `label` reads "model task/style".
  virtual void RunStarted(const std::string& label, std::int64_t planned, std::int64_t stored) = 0;
  // A block was committed: `items` more stored, `tokens` more evaluated.
  virtual void BlockStored(std::int64_t items, std::int64_t tokens) = 0;
  // The run started last has ended (finished or stopped).
  virtual void RunFinished() = 0;
  // A message for the user, one line, shown in every mode.
  virtual void Note(const std::string& message) = 0;
};

class ProgressPrinter final : public ProgressSink {
 public:
  using Clock = std::chrono::steady_clock;

  // What is counted: scoring counts items and the tokens they took; the
  // analysis counts units of work and no tokens.
  struct Units {
    std::string name = "items";
    bool tokens = true;  // show tokens/s
  };

  // REQUIRES: out stays open while the printer is used.
  // kLines writes a line when each run starts, every `interval`, and when it
  // ends.
  ProgressPrinter(std::FILE* out, ProgressMode mode,
                  std::function<Clock::time_point()> now = Clock::now,
                  Clock::duration interval = std::chrono::seconds(10));
  ProgressPrinter(std::FILE* out, ProgressMode mode, Units units,
                  std::function<Clock::time_point()> now = Clock::now,
                  Clock::duration interval = std::chrono::seconds(10));

  void RunStarted(const std::string& label, std::int64_t planned, std::int64_t stored) override;
  void BlockStored(std::int64_t items, std::int64_t tokens) override;
  void RunFinished() override;
  void Note(const std::string& message) override;

  // The progress text of the current run, e.g. "base hellaswag/continuation:
  // 640/2000 items (32.0%), 51.2 items/s, 2871 tokens/s, ETA 0:00:27", or
  // without tokens "analysis: 12/60 units (20.0%), 3.1 units/s, ETA 0:00:15".
  std::string Describe() const;

 private:
  void Show();
  void ClearLine();

  std::FILE* out_;
  ProgressMode mode_;
  Units units_;
  std::function<Clock::time_point()> now_;
  Clock::duration interval_;
  std::string label_;
  std::int64_t planned_ = 0;
  std::int64_t stored_before_ = 0;
  std::int64_t scored_ = 0;
  std::int64_t tokens_ = 0;
  Clock::time_point started_;
  Clock::time_point last_line_;
  bool line_drawn_ = false;
};

}  // namespace llmcal
