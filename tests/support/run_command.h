// Runs a program (usually build/llmcal) and captures what it did, so CLI
// behaviour (output, error messages, exit codes) can be tested as a user sees it.
#pragma once

#include <string>
#include <vector>

namespace llmcal::testing {

struct CommandResult {
  int exit_code = -1;  // the exit status; 128+N when killed by signal N
  std::string stdout_text;
  std::string stderr_text;
};

// Runs `program` with `args` (no shell), feeding `stdin_text` on standard input.
// REQUIRES: program is an executable path.
CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text = "");

// Runs build/llmcal with `args`.
CommandResult RunLlmcal(const std::vector<std::string>& args, const std::string& stdin_text = "");

}  // namespace llmcal::testing
