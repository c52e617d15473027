#include "fetch/internal/curl_handles.h"

#include "common/error.h"

namespace llmcal::fetch::internal {

namespace {

// curl_global_init is not thread-safe on every platform: a function-local
// static runs it exactly once, before any handle exists.
void InitializeOnce() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK)
    throw FetchError(std::string("libcurl could not start: ") + curl_easy_strerror(code));
}

}  // namespace

EasyHandle NewEasyHandle() {
  InitializeOnce();
  EasyHandle handle(curl_easy_init());
  if (!handle)
    throw FetchError("libcurl could not create a transfer");
  return handle;
}

UrlHandle NewUrlHandle() {
  InitializeOnce();
  UrlHandle url(curl_url());
  if (!url)
    throw FetchError("libcurl could not create a URL");
  return url;
}

void AppendHeader(HeaderList& list, const char* line) {
  curl_slist* extended = curl_slist_append(list.get(), line);
  if (extended == nullptr)
    throw FetchError("libcurl could not add a request header");
  (void)list.release();  // now owned by `extended`, which heads the same list
  list.reset(extended);
}

}  // namespace llmcal::fetch::internal
