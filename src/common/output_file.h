// Writing what llmcal produces, checked to the end: every write, and the
// final flush and close where a full disk or a failing device is often first
// reported. Every output file goes through WriteOutputFile, and main() ends
// every command with FinishStandardOutput, so no command can report success
// over an output that was lost (README, exit code 1).
//
//   WriteOutputFile("summary.json", text);  // throws InputError naming the file
//   ...
//   FinishStandardOutput();                 // at the end of main()
#pragma once

#include <filesystem>
#include <string_view>

namespace llmcal {

// Writes `text` to `path`, replacing the file.
// Throws InputError naming the path and the system's reason (e.g. "No space
// left on device") when it cannot be opened, written, flushed or closed.
void WriteOutputFile(const std::filesystem::path& path, std::string_view text);

// Flushes std::cout and stdout and closes stdout. Throws InputError naming
// "standard output" when any write to it failed, now or earlier.
// REQUIRES: nothing writes to stdout afterwards.
void FinishStandardOutput();

}  // namespace llmcal
