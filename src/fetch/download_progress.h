// The progress line of a download on stderr: what is downloaded, bytes so
// far of the total, the share done and the rate. On a terminal one line is
// redrawn in place; otherwise (a log file, Slurm's output) a plain line is
// written when the download starts, every `interval`, and when it ends.
// Quiet mode writes nothing. The mode is a study's (common/progress.h:
// ProgressModeFor decides it once for a command's scoring and downloads).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "common/progress.h"

namespace llmcal::fetch {

// Returns the progress text, e.g. "stories260K.gguf: 1.1 MB of 4.2 MB
// (26.2%), 3.0 MB/s" (without the total when it is unknown, without the
// rate when it is not yet measured, i.e. `bytes_per_second` < 0).
std::string DescribeDownload(const std::string& label, std::uint64_t bytes,
                             std::optional<std::uint64_t> total, double bytes_per_second);

class DownloadProgress {
 public:
  using Clock = std::chrono::steady_clock;

  // REQUIRES: out stays open while the printer is used.
  DownloadProgress(std::FILE* out, ProgressMode mode, std::string label,
                   Clock::duration interval = std::chrono::seconds(10));
  ~DownloadProgress();
  DownloadProgress(const DownloadProgress&) = delete;
  DownloadProgress& operator=(const DownloadProgress&) = delete;

  // The transfer starts with `bytes` already on disk (a resumed download).
  void Started(std::uint64_t bytes, std::optional<std::uint64_t> total);
  // `bytes` are on disk now, of `total`.
  void Update(std::uint64_t bytes, std::optional<std::uint64_t> total);
  // The transfer ended (finished or failed); ends the redrawn line.
  void Finished();

 private:
  void Show();

  std::FILE* out_;
  ProgressMode mode_;
  std::string label_;
  Clock::duration interval_;
  Clock::time_point start_{};
  Clock::time_point last_shown_{};
  std::uint64_t start_bytes_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t shown_bytes_ = 0;  // bytes_ when a line was last shown
  std::optional<std::uint64_t> total_;
  bool open_line_ = false;  // kRedraw: a line is on screen without its newline
};

}  // namespace llmcal::fetch
