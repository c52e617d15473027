// String operations that reproduce, byte for byte, the Python string methods
// lm-evaluation-harness applies when it renders prompts, so that our prompts
// equal its prompts. All functions take and return UTF-8 text; they never fail.
// Python's strip(), lstrip() and rstrip() live in common/unicode_text.h (the
// scorer needs them too).
#pragma once

#include <string>
#include <string_view>

namespace llmcal::tasks {

// Returns `text` with every non-overlapping occurrence of `from`, scanned left
// to right, replaced by `to` (Python's str.replace). REQUIRES: !from.empty().
std::string PyReplace(std::string_view text, std::string_view from, std::string_view to);

// Returns `text` with its first character upper-cased and the rest
// lower-cased (Python's str.capitalize), for ASCII letters; other code points
// are kept as they are.
std::string PyCapitalize(std::string_view text);

// Returns `text` with every match of the regular expression \[.*?\] removed
// (Python's re.sub; '.' does not match a newline).
std::string RemoveBracketed(std::string_view text);

// lm-evaluation-harness's HellaSwag preprocess(): strip; " [title]" -> ". ";
// delete every [...]; replace double spaces by single ones (one pass).
std::string HellaswagPreprocess(std::string_view text);

}  // namespace llmcal::tasks
