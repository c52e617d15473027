// Errors that llmcal reports to its user.
//
// InputError is bad input: a file, line or field that the user can fix. Its
// message names where the problem is ("data.jsonl:12: field 'gold': ...").
// The CLI prints it and exits with kExitInputError; nothing is dropped silently.
// FetchError is a download that failed (network, server, checksum): the
// message names the URL or the file, and rerunning resumes it.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace llmcal {

// Process exit codes shared by every sub-command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInputError = 1;     // bad file, line or field
inline constexpr int kExitUsage = 2;          // bad command line
inline constexpr int kExitEngineError = 3;    // the model could not be loaded or run
inline constexpr int kExitFetchError = 4;     // a download failed (network, server, checksum)
inline constexpr int kExitInterrupted = 130;  // stopped by Ctrl-C or SIGTERM; rerun to resume

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}

  // Returns an error located at `file`, `line` (1-based; 0 = whole file) and
  // `field` (empty = whole record), e.g. "piqa/valid.jsonl:3: field 'goal': missing".
  static InputError At(const std::string& file, std::int64_t line, const std::string& field,
                       const std::string& what);
};

// The user stopped a command (Ctrl-C, SIGTERM) after it saved its work.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(const std::string& message) : std::runtime_error(message) {}
};

// The model could not be loaded or evaluated.
class EngineError : public std::runtime_error {
 public:
  explicit EngineError(const std::string& message) : std::runtime_error(message) {}
};

// A download failed: the server could not be reached, stalled, answered an
// HTTP error, or sent bytes whose SHA-256 is not the expected one.
class FetchError : public std::runtime_error {
 public:
  explicit FetchError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace llmcal
