// ResponseParser: an incremental, allocation-free HTTP/1.1 response reader for the load
// generator. It finds the status, whether the server will close the connection, and where the
// response ends (Content-Length, chunked, or end of stream); the body itself is skipped, except
// for a short sample kept for diagnostics.
//
// One request is in flight per connection, so a response never shares bytes with the next one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace overcast::bench {

class ResponseParser {
 public:
  enum class State { kHeaders, kBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kUntilEof,
                     kDone, kError };

  static constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
  static constexpr std::size_t kBodySampleBytes = 1024;

  // Forgets everything; call before each response. With `body`, the whole body is also
  // appended there (cleared first), for sessions that read the answer (SQS receipt handles).
  void reset(std::string* body = nullptr);

  // Consumes bytes from the socket. Returns how many were used: fewer than `size` only when
  // the response is complete (the rest is unexpected and the caller may drop it) or on error.
  std::size_t feed(const char* data, std::size_t size);

  // The server closed the stream. Completes a close-delimited body; anything else unfinished is
  // an error (and an untouched parser stays at kHeaders: the caller can tell "closed before
  // answering" from a truncated response with started()).
  void onEof();

  State state() const { return state_; }
  bool done() const { return state_ == State::kDone; }
  bool failed() const { return state_ == State::kError; }
  bool started() const { return headerSize_ > 0 || state_ != State::kHeaders; }
  std::string_view error() const { return error_; }

  int status() const { return status_; }
  // True when the connection must not be reused: "Connection: close", HTTP/1.0 without
  // keep-alive, or a close-delimited body.
  bool closeAfter() const { return close_; }
  std::uint64_t bodyBytes() const { return bodyBytes_; }
  std::string_view bodySample() const { return {bodySample_.data(), sampleSize_}; }

 private:
  void fail(std::string_view why);
  bool parseHead(std::string_view head);
  void finishHead();
  void takeBody(const char* data, std::size_t size);
  std::size_t feedChunkSize(const char* data, std::size_t size);
  std::size_t feedTrailers(const char* data, std::size_t size);

  State state_ = State::kHeaders;
  std::string_view error_;
  std::array<char, kMaxHeaderBytes> header_{};
  std::size_t headerSize_ = 0;
  int status_ = 0;
  bool close_ = false;
  bool chunked_ = false;
  bool haveLength_ = false;
  std::uint64_t remaining_ = 0;  // body or current chunk bytes still to come
  std::uint64_t chunkSize_ = 0;
  bool chunkSizeDigits_ = false;
  bool inChunkExtension_ = false;
  std::size_t crlfSeen_ = 0;        // kChunkDataEnd: bytes of the CRLF after chunk data
  std::size_t trailerLineSize_ = 0;  // kTrailers: bytes on the current trailer line
  std::uint64_t bodyBytes_ = 0;
  std::array<char, kBodySampleBytes> bodySample_{};
  std::size_t sampleSize_ = 0;
  std::string* body_ = nullptr;
};

}  // namespace overcast::bench
