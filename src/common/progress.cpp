#include "common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

namespace llmcal {

namespace {

std::string HoursMinutesSeconds(double seconds) {
  const auto total = static_cast<std::int64_t>(seconds + 0.5);
  return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
}

}  // namespace

ProgressMode ProgressModeFor(std::FILE* out, bool quiet) {
  if (quiet)
    return ProgressMode::kQuiet;
  return isatty(fileno(out)) ? ProgressMode::kRedraw : ProgressMode::kLines;
}

ProgressPrinter::ProgressPrinter(std::FILE* out, ProgressMode mode,
                                 std::function<Clock::time_point()> now, Clock::duration interval)
    : ProgressPrinter(out, mode, Units{}, std::move(now), interval) {}

ProgressPrinter::ProgressPrinter(std::FILE* out, ProgressMode mode, Units units,
                                 std::function<Clock::time_point()> now, Clock::duration interval)
    : out_(out), mode_(mode), units_(std::move(units)), now_(std::move(now)), interval_(interval) {}

void ProgressPrinter::RunStarted(const std::string& label, std::int64_t planned,
                                 std::int64_t stored) {
  label_ = label;
  planned_ = planned;
  stored_before_ = stored;
  scored_ = 0;
  tokens_ = 0;
  started_ = last_line_ = now_();
  if (mode_ != ProgressMode::kQuiet)
    Show();
}

void ProgressPrinter::BlockStored(std::int64_t items, std::int64_t tokens) {
  scored_ += items;
  tokens_ += tokens;
  if (mode_ == ProgressMode::kRedraw) {
    Show();
  } else if (mode_ == ProgressMode::kLines && now_() - last_line_ >= interval_) {
    Show();
    last_line_ = now_();
  }
}

void ProgressPrinter::RunFinished() {
  if (mode_ == ProgressMode::kQuiet)
    return;
  Show();
  if (mode_ == ProgressMode::kRedraw) {
    std::fputc('\n', out_);
    line_drawn_ = false;
  }
  std::fflush(out_);
}

void ProgressPrinter::Note(const std::string& message) {
  ClearLine();
  fmt::print(out_, "llmcal: {}\n", message);
  if (mode_ == ProgressMode::kRedraw && !label_.empty())
    Show();
  std::fflush(out_);
}

std::string ProgressPrinter::Describe() const {
  const std::int64_t done = stored_before_ + scored_;
  const double seconds = std::chrono::duration<double>(now_() - started_).count();
  std::string text = fmt::format(
      "{}: {}/{} {} ({:.1f}%)", label_, done, planned_, units_.name,
      planned_ > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(planned_) : 100.0);
  if (scored_ == 0 || seconds <= 0)
    return text;
  const double items_per_s = static_cast<double>(scored_) / seconds;
  text += fmt::format(", {:.1f} {}/s", items_per_s, units_.name);
  if (units_.tokens)
    text += fmt::format(", {:.0f} tokens/s", static_cast<double>(tokens_) / seconds);
  const std::int64_t left = planned_ - done;
  text += left > 0 ? ", ETA " + HoursMinutesSeconds(static_cast<double>(left) / items_per_s)
                   : ", done in " + HoursMinutesSeconds(seconds);
  return text;
}

void ProgressPrinter::Show() {
  if (mode_ == ProgressMode::kRedraw) {
    fmt::print(out_, "\r\033[K{}", Describe());
    line_drawn_ = true;
  } else {
    fmt::print(out_, "llmcal: {}\n", Describe());
  }
  std::fflush(out_);
}

void ProgressPrinter::ClearLine() {
  if (line_drawn_)
    std::fputs("\r\033[K", out_);
  line_drawn_ = false;
}

}  // namespace llmcal
