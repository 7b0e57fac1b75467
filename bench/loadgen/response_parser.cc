#include "response_parser.h"

#include <algorithm>
#include <cstring>

namespace overcast::bench {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool containsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i)
    if (equalsIgnoreCase(haystack.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

constexpr std::uint64_t kMaxChunkSize = std::uint64_t{1} << 40;

}  // namespace

void ResponseParser::reset(std::string* body) {
  body_ = body;
  if (body_ != nullptr) body_->clear();
  state_ = State::kHeaders;
  error_ = {};
  headerSize_ = 0;
  status_ = 0;
  close_ = false;
  chunked_ = false;
  haveLength_ = false;
  remaining_ = 0;
  chunkSize_ = 0;
  chunkSizeDigits_ = false;
  inChunkExtension_ = false;
  crlfSeen_ = 0;
  trailerLineSize_ = 0;
  bodyBytes_ = 0;
  sampleSize_ = 0;
}

void ResponseParser::fail(std::string_view why) {
  state_ = State::kError;
  error_ = why;
}

std::size_t ResponseParser::feed(const char* data, std::size_t size) {
  std::size_t used = 0;
  while (used < size && state_ != State::kDone && state_ != State::kError) {
    const char* p = data + used;
    std::size_t left = size - used;
    switch (state_) {
      case State::kHeaders: {
        std::size_t room = header_.size() - headerSize_;
        std::size_t take = std::min(left, room);
        std::memcpy(header_.data() + headerSize_, p, take);
        std::size_t searchFrom = headerSize_ >= 3 ? headerSize_ - 3 : 0;
        std::size_t total = headerSize_ + take;
        std::string_view all(header_.data(), total);
        auto end = all.find("\r\n\r\n", searchFrom);
        if (end == std::string_view::npos) {
          headerSize_ = total;
          used += take;
          if (headerSize_ == header_.size()) fail("response header too large");
          break;
        }
        std::size_t headEnd = end + 4;
        used += headEnd - headerSize_;
        headerSize_ = headEnd;
        if (parseHead(std::string_view(header_.data(), headEnd))) finishHead();
        break;
      }
      case State::kBody:
      case State::kChunkData: {
        auto take = static_cast<std::size_t>(std::min<std::uint64_t>(left, remaining_));
        takeBody(p, take);
        used += take;
        remaining_ -= take;
        if (remaining_ == 0) {
          if (state_ == State::kBody) {
            state_ = State::kDone;
          } else {
            state_ = State::kChunkDataEnd;
            crlfSeen_ = 0;
          }
        }
        break;
      }
      case State::kUntilEof:
        takeBody(p, left);
        used += left;
        break;
      case State::kChunkSize:
        used += feedChunkSize(p, left);
        break;
      case State::kChunkDataEnd: {
        char expected = crlfSeen_ == 0 ? '\r' : '\n';
        if (*p != expected) {
          fail("chunk data not followed by CRLF");
          break;
        }
        ++used;
        if (++crlfSeen_ == 2) state_ = State::kChunkSize;
        break;
      }
      case State::kTrailers:
        used += feedTrailers(p, left);
        break;
      case State::kDone:
      case State::kError:
        break;
    }
  }
  return used;
}

void ResponseParser::onEof() {
  if (state_ == State::kUntilEof) {
    state_ = State::kDone;
  } else if (state_ != State::kDone && state_ != State::kError && started()) {
    fail("connection closed mid-response");
  }
}

bool ResponseParser::parseHead(std::string_view head) {
  // Status line: HTTP/1.x SSS reason
  if (head.size() < 12 || head.substr(0, 7) != "HTTP/1." || head[8] != ' ') {
    fail("malformed status line");
    return false;
  }
  bool http10 = head[7] == '0';
  int status = 0;
  for (int i = 9; i < 12; ++i) {
    char c = head[static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') {
      fail("malformed status code");
      return false;
    }
    status = status * 10 + (c - '0');
  }
  status_ = status;
  close_ = http10;

  auto lineEnd = head.find("\r\n");
  std::size_t pos = lineEnd + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    if (next == std::string_view::npos || next == pos) break;
    std::string_view line = head.substr(pos, next - pos);
    pos = next + 2;
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = trim(line.substr(colon + 1));
    if (equalsIgnoreCase(name, "content-length")) {
      std::uint64_t length = 0;
      if (value.empty()) {
        fail("empty Content-Length");
        return false;
      }
      for (char c : value) {
        if (c < '0' || c > '9' || length > kMaxChunkSize) {
          fail("malformed Content-Length");
          return false;
        }
        length = length * 10 + static_cast<std::uint64_t>(c - '0');
      }
      haveLength_ = true;
      remaining_ = length;
    } else if (equalsIgnoreCase(name, "transfer-encoding")) {
      if (containsIgnoreCase(value, "chunked")) chunked_ = true;
    } else if (equalsIgnoreCase(name, "connection")) {
      if (containsIgnoreCase(value, "close")) close_ = true;
      else if (containsIgnoreCase(value, "keep-alive")) close_ = false;
    }
  }
  return true;
}

void ResponseParser::finishHead() {
  if (status_ < 200) {
    fail("unexpected 1xx response");  // we never send Expect: 100-continue
  } else if (status_ == 204 || status_ == 304) {
    state_ = State::kDone;
  } else if (chunked_) {
    state_ = State::kChunkSize;
  } else if (haveLength_) {
    state_ = remaining_ == 0 ? State::kDone : State::kBody;
  } else {
    state_ = State::kUntilEof;
    close_ = true;
  }
}

void ResponseParser::takeBody(const char* data, std::size_t size) {
  bodyBytes_ += size;
  std::size_t copy = std::min(size, bodySample_.size() - sampleSize_);
  std::memcpy(bodySample_.data() + sampleSize_, data, copy);
  sampleSize_ += copy;
  if (body_ != nullptr) body_->append(data, size);
}

std::size_t ResponseParser::feedChunkSize(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    char c = data[i];
    if (c == '\n') {
      if (!chunkSizeDigits_) {
        fail("missing chunk size");
        return i + 1;
      }
      if (chunkSize_ == 0) {
        state_ = State::kTrailers;
        trailerLineSize_ = 0;
      } else {
        state_ = State::kChunkData;
        remaining_ = chunkSize_;
      }
      chunkSize_ = 0;
      chunkSizeDigits_ = false;
      inChunkExtension_ = false;
      return i + 1;
    }
    if (inChunkExtension_ || c == '\r' || c == ' ' || c == '\t') continue;
    if (c == ';') {
      inChunkExtension_ = true;
      continue;
    }
    int digit = hexValue(c);
    if (digit < 0 || chunkSize_ > kMaxChunkSize) {
      fail("malformed chunk size");
      return i + 1;
    }
    chunkSize_ = chunkSize_ * 16 + static_cast<std::uint64_t>(digit);
    chunkSizeDigits_ = true;
  }
  return size;
}

std::size_t ResponseParser::feedTrailers(const char* data, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    char c = data[i];
    if (c == '\n') {
      if (trailerLineSize_ == 0) {
        state_ = State::kDone;
        return i + 1;
      }
      trailerLineSize_ = 0;
    } else if (c != '\r') {
      ++trailerLineSize_;
    }
  }
  return size;
}

}  // namespace overcast::bench
