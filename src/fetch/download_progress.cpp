#include "fetch/download_progress.h"

#include <fmt/format.h>

namespace llmcal::fetch {

namespace {

// Decimal units, as download tools and the hub show sizes.
std::string Bytes(double bytes) {
  if (bytes < 1e3)
    return fmt::format("{:.0f} B", bytes);
  if (bytes < 1e6)
    return fmt::format("{:.1f} kB", bytes / 1e3);
  if (bytes < 1e9)
    return fmt::format("{:.1f} MB", bytes / 1e6);
  return fmt::format("{:.2f} GB", bytes / 1e9);
}

}  // namespace

std::string DescribeDownload(const std::string& label, std::uint64_t bytes,
                             std::optional<std::uint64_t> total, double bytes_per_second) {
  std::string text = fmt::format("{}: {}", label, Bytes(static_cast<double>(bytes)));
  if (total && *total > 0) {
    text += fmt::format(" of {} ({:.1f}%)", Bytes(static_cast<double>(*total)),
                        100.0 * static_cast<double>(bytes) / static_cast<double>(*total));
  }
  if (bytes_per_second >= 0)
    text += fmt::format(", {}/s", Bytes(bytes_per_second));
  return text;
}

DownloadProgress::DownloadProgress(std::FILE* out, ProgressMode mode, std::string label,
                                   Clock::duration interval)
    : out_(out), mode_(mode), label_(std::move(label)), interval_(interval) {}

DownloadProgress::~DownloadProgress() {
  if (open_line_)
    std::fputc('\n', out_);
}

void DownloadProgress::Started(std::uint64_t bytes, std::optional<std::uint64_t> total) {
  start_ = Clock::now();
  start_bytes_ = bytes;
  bytes_ = bytes;
  total_ = total;
  if (mode_ == ProgressMode::kQuiet)
    return;
  if (bytes > 0)
    fmt::print(out_, "llmcal: resuming {} after {}\n", label_, Bytes(static_cast<double>(bytes)));
  Show();
}

void DownloadProgress::Update(std::uint64_t bytes, std::optional<std::uint64_t> total) {
  bytes_ = bytes;
  if (total)
    total_ = total;
  const Clock::time_point now = Clock::now();
  const Clock::duration every =
      mode_ == ProgressMode::kRedraw ? std::chrono::milliseconds(250) : interval_;
  if (mode_ != ProgressMode::kQuiet && now - last_shown_ >= every)
    Show();
}

void DownloadProgress::Finished() {
  // A plain line that would repeat the last one (a transfer that failed at
  // once) says nothing new.
  const bool news =
      mode_ == ProgressMode::kRedraw || (mode_ == ProgressMode::kLines && bytes_ != shown_bytes_);
  if (news)
    Show();
  if (open_line_) {
    std::fputc('\n', out_);
    open_line_ = false;
  }
  std::fflush(out_);
}

void DownloadProgress::Show() {
  last_shown_ = Clock::now();
  shown_bytes_ = bytes_;
  const double seconds = std::chrono::duration<double>(last_shown_ - start_).count();
  const double rate = seconds >= 0.5 ? static_cast<double>(bytes_ - start_bytes_) / seconds : -1.0;
  const std::string text = "llmcal: downloading " + DescribeDownload(label_, bytes_, total_, rate);
  if (mode_ == ProgressMode::kRedraw) {
    fmt::print(out_, "\r\033[K{}", text);
    open_line_ = true;
  } else {
    fmt::print(out_, "{}\n", text);
  }
  std::fflush(out_);
}

}  // namespace llmcal::fetch
