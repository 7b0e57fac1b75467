#include "services/sns/delivery/mailer.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

namespace overcast::sns {
namespace {

constexpr std::size_t kMaxLine = 998;        // RFC 5322 2.1.1, excluding CRLF
constexpr std::size_t kMaxEncodedWord = 75;  // RFC 2047 2
constexpr std::size_t kMaxQpLine = 76;       // RFC 2045 6.7 (5), including a soft "="
constexpr std::size_t kMaxOutboxHeaderBytes = 64 * 1024;
constexpr std::string_view kCrlf = "\r\n";

// libcurl's process-wide initialisation, once; never undone.
void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

Error invalid(std::string message) {
  return Error(ErrorCode::InvalidParameterValue, std::move(message));
}
Error internal(std::string message) {
  return Error(ErrorCode::InternalFailure, std::move(message));
}

bool hasLineBreak(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool isPrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// local@domain in printable ASCII, without spaces or the characters that would make it
// something else in a header or an SMTP command.
bool isPlainAddress(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  for (char c : a) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("<>()[],;:\\\"").find(c) != std::string_view::npos) return false;
  }
  const auto at = a.rfind('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size();
}

// The address inside "Name <addr>", or the whole (trimmed) text.
std::string_view envelopeAddress(std::string_view from) {
  const auto open = from.rfind('<');
  const auto close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && open < close) {
    return from.substr(open + 1, close - open - 1);
  }
  while (!from.empty() && from.front() == ' ') from.remove_prefix(1);
  while (!from.empty() && from.back() == ' ') from.remove_suffix(1);
  return from;
}

// Lines of `text`, split at CRLF, LF or CR; a final line break ends the last line.
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

constexpr std::string_view kBase64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out += k <= n ? kBase64[(v >> (18 - 6 * k)) & 0x3f] : '=';
    }
  }
  return out;
}

// Lenient: skips anything outside the alphabet, stops at '='.
std::string base64Decode(std::string_view in) {
  std::string out;
  uint32_t v = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const auto pos = kBase64.find(c);
    if (pos == std::string_view::npos) continue;
    v = (v << 6) | static_cast<uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xff);
    }
  }
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool readFile(const std::string& path, std::string& out, std::size_t limit = std::string::npos) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  if (limit == std::string::npos) {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out += buffer.str();
  } else {
    std::string chunk(limit, '\0');
    in.read(chunk.data(), static_cast<std::streamsize>(limit));
    chunk.resize(static_cast<std::size_t>(in.gcount()));
    out += chunk;
  }
  return !in.bad();
}

// System CA file + an extra bundle as one PEM blob (see HttpPosterOptions::caBundle).
bool loadCaBlob(const std::string& extra, std::string& blob) {
  if (CURL* probe = curl_easy_init()) {
    char* systemFile = nullptr;
    if (curl_easy_getinfo(probe, CURLINFO_CAINFO, &systemFile) == CURLE_OK &&
        systemFile != nullptr && readFile(systemFile, blob)) {
      blob += '\n';
    }
    curl_easy_cleanup(probe);
  }
  return readFile(extra, blob);
}

std::string sysError(std::string_view what, const std::filesystem::path& path) {
  return fmt::format("mail outbox: {} {}: {}", what, path.string(), std::strerror(errno));
}

Result<void> fsyncPath(const std::filesystem::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return internal(sysError("open", path));
  const int rc = ::fsync(fd);
  const int savedErrno = errno;
  ::close(fd);
  errno = savedErrno;
  if (rc != 0) return internal(sysError("fsync", path));
  return {};
}

Result<void> writeFileDurably(const std::filesystem::path& tmp, const std::filesystem::path& final,
                              std::string_view data) {
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return internal(sysError("create", tmp));
  std::size_t written = 0;
  bool ok = true;
  while (ok && written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) written += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int savedErrno = errno;
  ok = (::close(fd) == 0) && ok;
  if (ok && ::rename(tmp.c_str(), final.c_str()) == 0) return {};
  const std::string message = fmt::format("mail outbox: write {}: {}", final.string(),
                                          std::strerror(ok ? errno : savedErrno));
  ::unlink(tmp.c_str());
  return internal(message);
}

// Unfolded header fields of a message (up to the first empty line).
std::vector<std::pair<std::string, std::string>> parseHeaders(std::string_view message) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::string_view line : splitLines(message)) {
    if (line.empty()) break;
    if ((line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back().second += line;  // unfold: drop the CRLF, keep the whitespace
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    fields.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return fields;
}

std::string headerValue(const std::vector<std::pair<std::string, std::string>>& fields,
                        std::string_view name) {
  for (const auto& [n, v] : fields) {
    if (iequals(n, name)) return v;
  }
  return {};
}

constexpr std::array<std::string_view, 7> kDayNames = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr std::array<std::string_view, 8> kOwnHeaders = {
    "From",       "To",           "Subject",      "Date",
    "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};

}  // namespace

namespace mail_format {

std::string encodeSubject(std::string_view subject) {
  if (isPrintableAscii(subject) && subject.find("=?") == std::string_view::npos &&
      subject.size() + std::string_view("Subject: ").size() <= kMaxLine) {
    return std::string(subject);
  }
  constexpr std::string_view kPrefix = "=?UTF-8?B?";
  constexpr std::string_view kSuffix = "?=";
  // Raw bytes per word: the base64 text must fit 75 - 12 characters.
  constexpr std::size_t kChunk = (kMaxEncodedWord - kPrefix.size() - kSuffix.size()) / 4 * 3;
  std::string out;
  std::size_t pos = 0;
  while (pos < subject.size()) {
    std::size_t len = std::min(kChunk, subject.size() - pos);
    // Never split a UTF-8 sequence: back off while the next byte is a continuation byte.
    while (len > 1 && pos + len < subject.size() &&
           (static_cast<unsigned char>(subject[pos + len]) & 0xc0) == 0x80) {
      --len;
    }
    if (!out.empty()) out += "\r\n ";
    out += kPrefix;
    out += base64Encode(subject.substr(pos, len));
    out += kSuffix;
    pos += len;
  }
  return out;
}

std::string decodeEncodedWords(std::string_view value) {
  std::string out;
  std::string pendingSpace;  // whitespace after an encoded word: dropped if another follows
  bool afterWord = false;
  std::size_t i = 0;
  while (i < value.size()) {
    if (value.compare(i, 2, "=?") == 0) {
      const auto q1 = value.find('?', i + 2);
      const auto q2 = q1 == std::string_view::npos ? q1 : value.find('?', q1 + 1);
      const auto end = q2 == std::string_view::npos ? q2 : value.find("?=", q2 + 1);
      if (end != std::string_view::npos && q2 == q1 + 2) {
        const char encoding = lower(value[q1 + 1]);
        const std::string_view text = value.substr(q2 + 1, end - q2 - 1);
        std::string decoded;
        bool known = true;
        if (encoding == 'b') {
          decoded = base64Decode(text);
        } else if (encoding == 'q') {
          for (std::size_t k = 0; k < text.size(); ++k) {
            if (text[k] == '_') {
              decoded += ' ';
            } else if (text[k] == '=' && k + 2 < text.size() && hexValue(text[k + 1]) >= 0 &&
                       hexValue(text[k + 2]) >= 0) {
              decoded += static_cast<char>(hexValue(text[k + 1]) * 16 + hexValue(text[k + 2]));
              k += 2;
            } else {
              decoded += text[k];
            }
          }
        } else {
          known = false;
        }
        if (known) {
          if (!afterWord) out += pendingSpace;
          pendingSpace.clear();
          out += decoded;
          afterWord = true;
          i = end + 2;
          continue;
        }
      }
    }
    if (value[i] == ' ' || value[i] == '\t') {
      pendingSpace += value[i];
    } else {
      out += pendingSpace;
      pendingSpace.clear();
      out += value[i];
      afterWord = false;
    }
    ++i;
  }
  return out + pendingSpace;
}

std::string encodeQuotedPrintable(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (std::string_view line : splitLines(text)) {
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      const bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
      const std::size_t width = literal ? 1 : 3;
      if (column + width > kMaxQpLine - 1) {  // leave room for the soft-break "="
        out += "=\r\n";
        column = 0;
      }
      if (literal) {
        out += static_cast<char>(c);
      } else {
        out += '=';
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
      column += width;
    }
    out += kCrlf;
  }
  return out;
}

std::string formatDate(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
                     kDayNames[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                     kMonthNames[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

bool parseDate(std::string_view text, TimePoint& out) {
  using namespace std::chrono;
  std::size_t i = 0;
  auto skipSpace = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  auto number = [&](int maxDigits, int& value) {
    int digits = 0;
    value = 0;
    while (i < text.size() && digits < maxDigits && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i++] - '0');
      ++digits;
    }
    return digits > 0;
  };
  skipSpace();
  if (const auto comma = text.find(','); comma != std::string_view::npos) i = comma + 1;
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  skipSpace();
  if (!number(2, day)) return false;
  skipSpace();
  if (i + 3 > text.size()) return false;
  const auto month = std::find_if(kMonthNames.begin(), kMonthNames.end(), [&](std::string_view m) {
    return iequals(m, text.substr(i, 3));
  });
  if (month == kMonthNames.end()) return false;
  i += 3;
  skipSpace();
  const std::size_t yearStart = i;
  if (!number(4, year)) return false;
  if (i - yearStart == 2) year += year < 50 ? 2000 : 1900;  // RFC 5322 4.3 obsolete years
  skipSpace();
  if (!number(2, hour) || i >= text.size() || text[i++] != ':' || !number(2, minute)) return false;
  if (i < text.size() && text[i] == ':') {
    ++i;
    if (!number(2, second)) return false;
  }
  skipSpace();
  int offsetMinutes = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const int sign = text[i++] == '-' ? -1 : 1;
    int hhmm = 0;
    const std::size_t zoneStart = i;
    if (!number(4, hhmm) || i - zoneStart != 4) return false;
    offsetMinutes = sign * (hhmm / 100 * 60 + hhmm % 100);
  }  // else "GMT", "UT", "Z" or nothing: UTC
  const year_month_day ymd{
      std::chrono::year{year},
      std::chrono::month{static_cast<unsigned>(month - kMonthNames.begin() + 1)},
      std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return false;
  out = TimePoint(sys_days(ymd) + hours(hour) + minutes(minute) + seconds(second) -
                  minutes(offsetMinutes));
  return true;
}

}  // namespace mail_format

Mailer::Mailer(MailerOptions options)
    : options_(std::move(options)),
      ownedClock_(std::make_unique<RealClock>()),
      ownedIds_(makeRandomIdGenerator()),
      clock_(*ownedClock_),
      ids_(*ownedIds_) {
  loadTrust();
}

Mailer::Mailer(MailerOptions options, const Clock& clock, IdGenerator& ids)
    : options_(std::move(options)), clock_(clock), ids_(ids) {
  loadTrust();
}

void Mailer::loadTrust() {
  initCurlOnce();
  if (!options_.caBundle.empty() && !loadCaBlob(options_.caBundle, caBlob_)) {
    caError_ = fmt::format("mailer: cannot read CA bundle {}", options_.caBundle);
  }
}

Mailer::~Mailer() = default;

namespace {

// A display name for a From header: a quoted string when it is printable ASCII, else an
// RFC 2047 encoded-word (as subjects are).
std::string displayName(std::string_view name) {
  if (!isPrintableAscii(name)) return mail_format::encodeSubject(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

Result<std::string> Mailer::buildMessage(const Mail& mail) const {
  if (hasLineBreak(mail.to) || !isPlainAddress(mail.to)) {
    return invalid("Invalid parameter: Endpoint: not a plain email address (local@domain)");
  }
  if (hasLineBreak(mail.subject)) {
    return invalid("Invalid parameter: Subject: must not contain line breaks");
  }
  if (hasLineBreak(mail.fromName)) {
    return invalid("Invalid parameter: DisplayName: must not contain line breaks");
  }
  if (hasLineBreak(options_.from) || !isPrintableAscii(options_.from) ||
      !isPlainAddress(envelopeAddress(options_.from))) {
    return internal(fmt::format("mailer: invalid From address in the configuration"));
  }
  for (const auto& [name, value] : mail.extraHeaders) {
    const bool nameOk = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return c >= 33 && c <= 126 && c != ':';
    });
    if (!nameOk || hasLineBreak(value) || !isPrintableAscii(value) ||
        name.size() + 2 + value.size() > kMaxLine) {
      return invalid("Invalid parameter: mail header: not a printable ASCII header field");
    }
    for (std::string_view own : kOwnHeaders) {
      if (iequals(name, own)) return invalid(fmt::format("Invalid parameter: mail header {}", own));
    }
  }

  const std::string_view fromAddress = envelopeAddress(options_.from);
  const std::vector<std::string_view> lines = splitLines(mail.textBody);
  const bool sevenBit = std::all_of(lines.begin(), lines.end(), [](std::string_view line) {
    return line.size() <= kMaxLine && std::all_of(line.begin(), line.end(), [](char c) {
             return (c >= 0x20 && c <= 0x7e) || c == '\t';
           });
  });

  std::string m;
  m.reserve(mail.textBody.size() * 11 / 10 + 512);
  m += fmt::format("Date: {}\r\n", mail_format::formatDate(clock_.now()));
  if (mail.fromName.empty()) {
    m += fmt::format("From: {}\r\n", options_.from);
  } else {
    m += fmt::format("From: {} <{}>\r\n", displayName(mail.fromName), fromAddress);
  }
  m += fmt::format("To: {}\r\n", mail.to);
  if (!mail.subject.empty()) {
    m += fmt::format("Subject: {}\r\n", mail_format::encodeSubject(mail.subject));
  }
  m += fmt::format("Message-ID: <{}@{}>\r\n", ids_.uuid(),
                   fromAddress.substr(fromAddress.rfind('@') + 1));
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += fmt::format("Content-Transfer-Encoding: {}\r\n", sevenBit ? "7bit" : "quoted-printable");
  for (const auto& [name, value] : mail.extraHeaders) m += fmt::format("{}: {}\r\n", name, value);
  m += kCrlf;
  if (sevenBit) {
    for (std::string_view line : lines) {
      m += line;
      m += kCrlf;
    }
  } else {
    m += mail_format::encodeQuotedPrintable(mail.textBody);
  }
  return m;
}

Result<void> Mailer::send(const Mail& mail) {
  Result<std::string> message = buildMessage(mail);
  if (!message) return message.error();
  if (!options_.smtpUrl.empty()) return sendViaRelay(mail, *message);
  if (!options_.outboxDir.empty()) return writeToOutbox(*message);
  return internal("mailer: neither an SMTP relay nor an outbox directory is configured");
}

namespace {

struct ReadState {
  std::string_view data;
  std::size_t offset = 0;
};

size_t readMessage(char* buffer, size_t size, size_t count, void* user) {
  auto* state = static_cast<ReadState*>(user);
  const size_t n = std::min(size * count, state->data.size() - state->offset);
  std::memcpy(buffer, state->data.data() + state->offset, n);
  state->offset += n;
  return n;
}

}  // namespace

Result<void> Mailer::sendViaRelay(const Mail& mail, const std::string& message) {
  if (!caError_.empty()) return internal(caError_);
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> handle(curl_easy_init(), &curl_easy_cleanup);
  if (!handle) return internal("mailer: curl_easy_init failed");
  const std::string sender = fmt::format("<{}>", envelopeAddress(options_.from));
  const std::string recipient = fmt::format("<{}>", mail.to);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
      curl_slist_append(nullptr, recipient.c_str()), &curl_slist_free_all);
  if (!rcpt) return internal("mailer: out of memory");

  CURL* h = handle.get();
  ReadState read{message};
  char errorBuffer[CURL_ERROR_SIZE] = {};
  curl_blob blob{caBlob_.data(), caBlob_.size(), CURL_BLOB_NOCOPY};
  curl_easy_setopt(h, CURLOPT_URL, options_.smtpUrl.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!caBlob_.empty()) curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
  if (options_.startTls) curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, sender.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &readMessage);
  curl_easy_setopt(h, CURLOPT_READDATA, &read);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));

  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return {};
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  return internal(fmt::format("SMTP relay: {}{}{} (last reply {})", curl_easy_strerror(rc),
                              errorBuffer[0] != '\0' ? ": " : "", errorBuffer, reply));
}

Result<void> Mailer::writeToOutbox(const std::string& message) {
  const std::filesystem::path& dir = options_.outboxDir;
  std::error_code ec;
  if (std::filesystem::create_directories(dir, ec)) {
    // A new directory's own name must survive a crash too.
    const std::filesystem::path parent = std::filesystem::absolute(dir, ec).parent_path();
    if (auto r = fsyncPath(parent, O_RDONLY | O_DIRECTORY); !ec && !r) return r;
  } else if (ec) {
    return internal(fmt::format("mail outbox: create {}: {}", dir.string(), ec.message()));
  }
  using namespace std::chrono;
  const TimePoint now = clock_.now();
  const auto day = floor<days>(now);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<milliseconds>(now - day)};
  const std::string name = fmt::format(
      "{:04}{:02}{:02}T{:02}{:02}{:02}.{:03}Z-{}.eml", static_cast<int>(ymd.year()),
      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
      hms.minutes().count(), hms.seconds().count(), hms.subseconds().count(), ids_.randomHex(8));
  if (auto r = writeFileDurably(dir / ("." + name + ".tmp"), dir / name, message); !r) return r;
  return fsyncPath(dir, O_RDONLY | O_DIRECTORY);
}

Result<std::vector<MailFile>> Mailer::listOutbox(const std::filesystem::path& dir) {
  std::vector<MailFile> files;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    if (ec) return internal(fmt::format("mail outbox: {}: {}", dir.string(), ec.message()));
    return files;
  }
  // The error_code forms throughout: no filesystem_error escapes this adapter.
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::filesystem::directory_entry& entry = *it;
    const std::string name = entry.path().filename().string();
    std::error_code typeError;
    if (name.starts_with('.') || !name.ends_with(".eml") || !entry.is_regular_file(typeError)) {
      continue;
    }
    std::string head;
    if (!readFile(entry.path().string(), head, kMaxOutboxHeaderBytes)) {
      return internal(fmt::format("mail outbox: cannot read {}", name));
    }
    const auto fields = parseHeaders(head);
    MailFile file;
    file.fileName = name;
    file.to = headerValue(fields, "To");
    file.subject = mail_format::decodeEncodedWords(headerValue(fields, "Subject"));
    if (!mail_format::parseDate(headerValue(fields, "Date"), file.time)) {
      struct stat st {};
      if (::stat(entry.path().c_str(), &st) == 0) {
        file.time = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
            std::chrono::seconds(st.st_mtim.tv_sec) +
            std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
      }
    }
    files.push_back(std::move(file));
  }
  if (ec) return internal(fmt::format("mail outbox: list {}: {}", dir.string(), ec.message()));
  std::sort(files.begin(), files.end(),
            [](const MailFile& a, const MailFile& b) { return a.fileName < b.fileName; });
  return files;
}

}  // namespace overcast::sns
