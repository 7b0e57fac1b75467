#include "services/sns/delivery/http_poster.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <fstream>
#include <mutex>
#include <sstream>

#if LIBCURL_VERSION_NUM < 0x075500
#error "libcurl >= 7.85 is needed (CURLOPT_PROTOCOLS_STR, CURLINFO_CAINFO)"
#endif

namespace overcast::sns {
namespace {

// libcurl's process-wide initialisation, once; never undone (other users may remain).
void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

bool appendSlist(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown == nullptr) return false;
  list.release();
  list.reset(grown);
  return true;
}

bool readWholeFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  out += buffer.str();
  return true;
}

bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Per-transfer state for the body callback.
struct Transfer {
  std::size_t bodyBytes = 0;
  bool bodyTooLarge = false;
};

size_t discardBody(char* /*data*/, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  transfer->bodyBytes += n;
  if (transfer->bodyBytes > HttpPoster::kMaxResponseBody) {
    transfer->bodyTooLarge = true;
    return 0;  // anything but n aborts the transfer (CURLE_WRITE_ERROR)
  }
  return n;
}

}  // namespace

struct HttpPoster::Impl {
  explicit Impl(HttpPosterOptions opts) : options(std::move(opts)) {
    initCurlOnce();
    if (!options.caBundle.empty()) loadCaBundle();
  }

  ~Impl() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
  }

  // System CA file + the extra bundle, as one PEM blob. libcurl keeps its default CA
  // directory (CURLOPT_CAPATH) alongside a blob, so the system store stays complete.
  void loadCaBundle() {
    CURL* probe = curl_easy_init();
    if (probe != nullptr) {
      char* systemFile = nullptr;
      if (curl_easy_getinfo(probe, CURLINFO_CAINFO, &systemFile) == CURLE_OK &&
          systemFile != nullptr && readWholeFile(systemFile, caBlob)) {
        caBlob += '\n';
      }
      curl_easy_cleanup(probe);
    }
    if (!readWholeFile(options.caBundle, caBlob)) {
      caError = fmt::format("cannot read CA bundle {}", options.caBundle);
    }
  }

  CURL* acquire() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  void release(CURL* handle) {
    {
      std::lock_guard lock(mu);
      if (idle.size() < kMaxIdleHandles) {
        idle.push_back(handle);
        return;
      }
    }
    curl_easy_cleanup(handle);
  }

  HttpPostResult perform(CURL* handle, const std::string& url, const HttpHeaderList& headers,
                         std::string_view body);

  const HttpPosterOptions options;
  std::string caBlob;   // constant after construction
  std::string caError;  // constant after construction
  std::mutex mu;
  std::vector<CURL*> idle;  // GUARDED_BY(mu); LIFO, so the warmest connection goes first
};

HttpPostResult HttpPoster::Impl::perform(CURL* handle, const std::string& url,
                                         const HttpHeaderList& headers, std::string_view body) {
  HttpPostResult result;
  Slist list;
  bool hasUserAgent = false;
  bool hasContentType = false;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, value] = headers[i];
    bool nameOk = !name.empty();
    for (char c : name) nameOk = nameOk && isTokenChar(c);
    if (!nameOk || value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      result.error =
          fmt::format("invalid HTTP header #{}: name not a token or CR/LF/NUL in value", i + 1);
      return result;
    }
    hasUserAgent = hasUserAgent || iequals(name, "User-Agent");
    hasContentType = hasContentType || iequals(name, "Content-Type");
    // "Name;" is libcurl's spelling of a header with an empty value ("Name:" removes it).
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    if (!appendSlist(list, line)) {
      result.error = "out of memory";
      return result;
    }
  }
  if (!hasContentType && !appendSlist(list, "Content-Type: text/plain; charset=UTF-8")) {
    result.error = "out of memory";
    return result;
  }
  if (!appendSlist(list, "Expect:")) {  // never wait for a 100-continue
    result.error = "out of memory";
    return result;
  }

  Transfer transfer;
  char errorBuffer[CURL_ERROR_SIZE] = {};
  curl_easy_reset(handle);  // options only; the connection and DNS caches stay
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_PROXY, "");
  curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_blob blob{caBlob.data(), caBlob.size(), CURL_BLOB_NOCOPY};
  if (!caBlob.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO_BLOB, &blob);
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.empty() ? "" : body.data());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list.get());
  if (!hasUserAgent) curl_easy_setopt(handle, CURLOPT_USERAGENT, options.userAgent.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &discardBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer);

  const CURLcode rc = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  result.status = static_cast<int>(status);
  const bool complete = rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && transfer.bodyTooLarge);
  if (!complete) {
    result.error = errorBuffer[0] != '\0'
                       ? fmt::format("{}: {}", curl_easy_strerror(rc), errorBuffer)
                       : std::string(curl_easy_strerror(rc));
  }
  // Drop our pointers into this call's stack before the handle goes back to the pool.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);
  return result;
}

HttpPoster::HttpPoster(HttpPosterOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpPoster::~HttpPoster() = default;

HttpPostResult HttpPoster::post(std::string_view url, const HttpHeaderList& headers,
                                std::string_view body) {
  if (!impl_->caError.empty()) return HttpPostResult{0, impl_->caError};
  CURL* handle = impl_->acquire();
  if (handle == nullptr) return HttpPostResult{0, "curl_easy_init failed"};
  HttpPostResult result = impl_->perform(handle, std::string(url), headers, body);
  impl_->release(handle);
  return result;
}

}  // namespace overcast::sns
