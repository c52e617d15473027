// URLs as llmcal's downloads build them: a mirror that replaces the scheme
// and host of every URL (`data fetch --endpoint`, LLMCAL_DATA_ENDPOINT;
// the hub's HF_ENDPOINT), and path segments made safe to put in a URL.
//
//   WithEndpoint("https://raw.githubusercontent.com/o/r/abc/test.jsonl",
//                "http://127.0.0.1:8080")
//     == "http://127.0.0.1:8080/o/r/abc/test.jsonl"
#pragma once

#include <string>
#include <string_view>

namespace llmcal::fetch {

// Returns `url` with its scheme, host and port replaced by those of
// `endpoint`; a path in `endpoint` ("http://mirror/llmcal") goes before the
// URL's path, and the URL's query is kept. Throws InputError naming the
// value when `url` or `endpoint` is not an absolute http:// or https:// URL,
// or `endpoint` has a query or fragment.
std::string WithEndpoint(const std::string& url, const std::string& endpoint);

// Returns "" when `endpoint` is an absolute http:// or https:// URL without
// query or fragment, else why not: "'ftp://m' is not an http:// or https://
// URL". The check of the `--endpoint` setting (settings/settings.h).
std::string EndpointProblem(std::string_view endpoint);

// Returns `endpoint` checked (EndpointProblem) and without trailing slashes.
// `what` names where the value came from in the error ("HF_ENDPOINT",
// "LLMCAL_DATA_ENDPOINT"): "HF_ENDPOINT 'ftp://m' is not an http:// or
// https:// URL". Throws InputError otherwise.
std::string CheckedEndpoint(const std::string& endpoint, std::string_view what);

// Percent-encodes every byte of `segment` except RFC 3986's unreserved
// characters (A-Z a-z 0-9 - . _ ~): "refs/pr/1" -> "refs%2Fpr%2F1".
std::string EncodePathSegment(std::string_view segment);

}  // namespace llmcal::fetch
