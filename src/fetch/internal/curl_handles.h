// RAII owners of libcurl's handles, so that every exit path of a transfer
// (an exception from a callback's caller included) frees what it made.
// Internal to src/fetch/.
#pragma once

#include <curl/curl.h>

#include <memory>

namespace llmcal::fetch::internal {

struct EasyCleanup {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct UrlCleanup {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlFree {
  void operator()(char* text) const { curl_free(text); }
};

using EasyHandle = std::unique_ptr<CURL, EasyCleanup>;
using HeaderList = std::unique_ptr<curl_slist, SlistFree>;
using UrlHandle = std::unique_ptr<CURLU, UrlCleanup>;
using CurlString = std::unique_ptr<char, CurlFree>;

// Returns a new easy handle, libcurl's global state initialised once per
// process before the first. Throws FetchError when libcurl cannot make one.
EasyHandle NewEasyHandle();

// Returns a new URL handle. Throws FetchError when libcurl cannot make one.
UrlHandle NewUrlHandle();

// Appends `line` to `list` (nullptr: a new list). Throws FetchError when
// libcurl cannot allocate.
void AppendHeader(HeaderList& list, const char* line);

}  // namespace llmcal::fetch::internal
