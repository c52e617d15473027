#include "fetch/url.h"

#include <fmt/format.h>

#include "common/error.h"
#include "fetch/internal/curl_handles.h"

namespace llmcal::fetch {

namespace {

using internal::CurlString;
using internal::UrlHandle;

// Parses `text` as an absolute http(s) URL into `url`; returns "" or why
// not ("'x' is not an http:// or https:// URL").
std::string HttpUrlProblem(const std::string& text, const UrlHandle& url) {
  const CURLUcode code = curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0);
  if (code != CURLUE_OK)
    return fmt::format("'{}' is not a URL ({})", text, curl_url_strerror(code));
  char* scheme = nullptr;
  curl_url_get(url.get(), CURLUPART_SCHEME, &scheme, 0);
  const CurlString owned(scheme);
  const std::string_view name = scheme == nullptr ? "" : scheme;
  if (name != "http" && name != "https")
    return fmt::format("'{}' is not an http:// or https:// URL", text);
  return "";
}

// Parses `text` as an absolute http(s) URL. Throws InputError naming `what`.
UrlHandle ParseHttpUrl(const std::string& text, std::string_view what) {
  UrlHandle url = internal::NewUrlHandle();
  if (const std::string problem = HttpUrlProblem(text, url); !problem.empty())
    throw InputError(fmt::format("{} {}", what, problem));
  return url;
}

// The part `part` of `url`, or "" when it has none.
std::string Part(const UrlHandle& url, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(url.get(), part, &value, 0) != CURLUE_OK || value == nullptr)
    return "";
  const CurlString owned(value);
  return value;
}

}  // namespace

std::string EndpointProblem(std::string_view endpoint) {
  const std::string text(endpoint);
  const UrlHandle url = internal::NewUrlHandle();
  if (std::string problem = HttpUrlProblem(text, url); !problem.empty())
    return problem;
  if (!Part(url, CURLUPART_QUERY).empty() || !Part(url, CURLUPART_FRAGMENT).empty())
    return fmt::format("'{}': an endpoint has no query or fragment (?, #)", text);
  return "";
}

std::string CheckedEndpoint(const std::string& endpoint, std::string_view what) {
  if (const std::string problem = EndpointProblem(endpoint); !problem.empty())
    throw InputError(fmt::format("{} {}", what, problem));
  std::string checked = endpoint;
  while (!checked.empty() && checked.back() == '/')
    checked.pop_back();
  return checked;
}

std::string WithEndpoint(const std::string& url, const std::string& endpoint) {
  const std::string base = CheckedEndpoint(endpoint, "endpoint");
  const UrlHandle parsed = ParseHttpUrl(url, "URL");
  std::string replaced = base + Part(parsed, CURLUPART_PATH);
  const std::string query = Part(parsed, CURLUPART_QUERY);
  if (!query.empty())
    replaced += "?" + query;
  return replaced;
}

std::string EncodePathSegment(std::string_view segment) {
  std::string encoded;
  for (const char c : segment) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved)
      encoded += c;
    else
      encoded += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return encoded;
}

}  // namespace llmcal::fetch
