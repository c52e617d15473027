// Reading one lm-evaluation-harness samples file (written with
// `--log_samples`) into plain values: per document its id, the document, the
// target, and each log-likelihood request with its context, continuation,
// log-likelihood and greedy flag. Nothing here knows llmcal's tasks or store;
// lm_eval_import.h turns these into a run.
//
// Two formats exist (docs/fidelity.md, "Importing lm-evaluation-harness
// samples", quotes the harness source of each):
//   - v0.4.3 on: JSON Lines, one object per document; `arguments` is
//     {"gen_args_0": {"arg_0": context, "arg_1": continuation}, ...} and the
//     leaves of `resps`/`filtered_resps` are strings (Python's str()):
//     "-1.25", "False"; from v0.4.4 `target` is a string too.
//   - v0.4.0 to v0.4.2: one JSON array of those objects (indented), with
//     `arguments` a list of [context, continuation] and numbers and booleans
//     as themselves; Python's json writes a non-finite float as NaN,
//     Infinity or -Infinity, which are read too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/record_source.h"

namespace llmcal::import {

enum class SamplesFormat {
  kJsonLines,  // harness v0.4.3 and later
  kJsonArray,  // harness v0.4.0 to v0.4.2
};

// "jsonl" or "json-array".
const char* SamplesFormatName(SamplesFormat format);

// One log-likelihood request of a document and the harness's answer to it.
struct HarnessRequest {
  std::string context;
  std::string continuation;
  // filtered_resps[i][0] (the take_first filter's answer): the sum of the
  // continuation's token log-probs; may be NaN or infinite as logged.
  double loglikelihood = 0.0;
  bool is_greedy = false;  // filtered_resps[i][1]
};

struct HarnessSample {
  RecordLocation where;  // file and line of the record, for messages
  std::int64_t doc_id = 0;
  nlohmann::json doc;     // the document as logged
  nlohmann::json target;  // as logged: an integer, a string, or a list
  std::string filter;     // the filter's name (v0.4.7 on), "" when not logged
  std::vector<HarnessRequest> requests;
};

struct SamplesFile {
  std::filesystem::path path;
  SamplesFormat format = SamplesFormat::kJsonLines;
  bool has_filter_field = false;       // some record names its filter (harness v0.4.7 on)
  std::vector<HarnessSample> samples;  // in file order
};

// Reads `path` in either format (told apart by its first character: '[' for
// the array). Throws InputError naming the file, the line and the field for
// malformed JSON, a missing or mistyped field (doc_id, arguments,
// filtered_resps), a request that is not a log-likelihood request (a
// generation task's), or a response that is not [log-likelihood, greedy].
SamplesFile ReadSamplesFile(const std::filesystem::path& path);

// Returns `text` with the bare NaN, Infinity and -Infinity tokens that
// Python's json writes outside strings replaced by the strings "nan", "inf"
// and "-inf", so that a strict JSON parser reads them; lines stay where they
// were.
std::string QuoteNonFiniteNumbers(std::string_view text);

}  // namespace llmcal::import
