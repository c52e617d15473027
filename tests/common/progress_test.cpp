// Progress text and pacing (common/progress.h), with a hand-driven clock, and
// the choice of mode.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "common/progress.h"

namespace llmcal {
namespace {

using Clock = ProgressPrinter::Clock;
using std::chrono::seconds;

// Captures what a printer writes.
class Capture {
 public:
  Capture() : file_(std::tmpfile()) {}
  ~Capture() { std::fclose(file_); }
  std::FILE* file() { return file_; }
  std::string Text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string text;
    for (int c; (c = std::fgetc(file_)) != EOF;)
      text += static_cast<char>(c);
    return text;
  }

 private:
  std::FILE* file_;
};

struct FakeClock {
  Clock::time_point now{};
  std::function<Clock::time_point()> Function() {
    return [this] { return now; };
  }
};

TEST(Progress, DescribesRatesAndTimeLeft) {
  Capture out;
  FakeClock clock;
  ProgressPrinter printer(out.file(), ProgressMode::kQuiet, clock.Function());
  printer.RunStarted("base hellaswag/continuation", 2000, 400);
  EXPECT_EQ(printer.Describe(), "base hellaswag/continuation: 400/2000 items (20.0%)");
  clock.now += seconds(10);
  printer.BlockStored(500, 30000);
  EXPECT_EQ(printer.Describe(),
            "base hellaswag/continuation: 900/2000 items (45.0%), 50.0 items/s, 3000 tokens/s, "
            "ETA 0:00:22");
  clock.now += seconds(3590);
  printer.BlockStored(1100, 0);
  EXPECT_EQ(printer.Describe(),
            "base hellaswag/continuation: 2000/2000 items (100.0%), 0.4 items/s, 8 tokens/s, "
            "done in 1:00:00");
  EXPECT_EQ(out.Text(), "");  // quiet
}

TEST(Progress, CountsUnitsWithoutTokensForTheAnalysis) {
  Capture out;
  FakeClock clock;
  ProgressPrinter printer(out.file(), ProgressMode::kLines, {.name = "units", .tokens = false},
                          clock.Function());
  printer.RunStarted("analysis", 60, 0);
  EXPECT_EQ(printer.Describe(), "analysis: 0/60 units (0.0%)");
  clock.now += seconds(4);
  printer.BlockStored(12, 0);
  EXPECT_EQ(printer.Describe(), "analysis: 12/60 units (20.0%), 3.0 units/s, ETA 0:00:16");
  printer.RunFinished();
  EXPECT_EQ(out.Text(),
            "llmcal: analysis: 0/60 units (0.0%)\n"
            "llmcal: analysis: 12/60 units (20.0%), 3.0 units/s, ETA 0:00:16\n");
}

TEST(Progress, PlainLinesAtTheStartEveryIntervalAndAtTheEnd) {
  Capture out;
  FakeClock clock;
  ProgressPrinter printer(out.file(), ProgressMode::kLines, clock.Function(), seconds(10));
  printer.RunStarted("m t/choice", 100, 0);
  clock.now += seconds(4);
  printer.BlockStored(10, 100);  // 4 s: no line yet
  clock.now += seconds(6);
  printer.BlockStored(10, 100);  // 10 s: a line
  clock.now += seconds(5);
  printer.BlockStored(10, 100);  // 5 s after it: none
  printer.Note("warning: something");
  clock.now += seconds(5);
  printer.RunFinished();
  EXPECT_EQ(out.Text(),
            "llmcal: m t/choice: 0/100 items (0.0%)\n"
            "llmcal: m t/choice: 20/100 items (20.0%), 2.0 items/s, 20 tokens/s, ETA 0:00:40\n"
            "llmcal: warning: something\n"
            "llmcal: m t/choice: 30/100 items (30.0%), 1.5 items/s, 15 tokens/s, ETA 0:00:47\n");
}

TEST(Progress, RedrawsOneLineInPlaceOnATerminal) {
  Capture out;
  FakeClock clock;
  ProgressPrinter printer(out.file(), ProgressMode::kRedraw, clock.Function());
  printer.RunStarted("m t/choice", 10, 0);
  clock.now += seconds(1);
  printer.BlockStored(5, 0);
  printer.Note("hello");
  printer.RunFinished();
  const std::string line1 = "m t/choice: 0/10 items (0.0%)";
  const std::string line2 = "m t/choice: 5/10 items (50.0%), 5.0 items/s, 0 tokens/s, ETA 0:00:01";
  EXPECT_EQ(out.Text(), "\r\033[K" + line1 + "\r\033[K" + line2 + "\r\033[Kllmcal: hello\n" +
                            "\r\033[K" + line2 + "\r\033[K" + line2 + "\n");
}

// One decision for every progress display of a command (scoring, analysis,
// downloads): quiet wins, then a terminal redraws, anything else gets lines.
TEST(Progress, ModeFollowsQuietThenWhetherTheStreamIsATerminal) {
  Capture file;
  EXPECT_EQ(ProgressModeFor(file.file(), false), ProgressMode::kLines);
  EXPECT_EQ(ProgressModeFor(file.file(), true), ProgressMode::kQuiet);

  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0)
    GTEST_SKIP() << "no pseudo-terminal here to stand in for a terminal";
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  std::FILE* terminal = std::fopen(ptsname(master), "w");
  ASSERT_NE(terminal, nullptr);
  EXPECT_EQ(ProgressModeFor(terminal, false), ProgressMode::kRedraw);
  EXPECT_EQ(ProgressModeFor(terminal, true), ProgressMode::kQuiet);
  std::fclose(terminal);
  close(master);
}

}  // namespace
}  // namespace llmcal
