#include "services/sqs/model/names.h"

#include <fmt/format.h>

#include <vector>

namespace overcast::sqs {
namespace {

constexpr size_t kMaxQueueNameLength = 80;
constexpr std::string_view kFifoSuffix = ".fifo";
constexpr size_t kAccountIdLength = 12;

// AWS's own wording (CreateQueue with a bad name), standard and FIFO.
constexpr std::string_view kStandardNameMessage =
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
constexpr std::string_view kFifoNameMessage =
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with "
    ".fifo suffix and be 1 to 80 in length.";

bool isNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool allNameChars(std::string_view s) {
  for (char c : s)
    if (!isNameChar(c)) return false;
  return true;
}

bool isAccountId(std::string_view s) {
  if (s.size() != kAccountIdLength) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Error noSuchQueue() { return Error(ErrorCode::QueueDoesNotExist, "The specified queue does not exist."); }

}  // namespace

bool isFifoName(std::string_view name) { return name.ends_with(kFifoSuffix); }

bool isNameToken(std::string_view s) { return !s.empty() && s.size() <= kMaxQueueNameLength && allNameChars(s); }

Result<void> validateQueueName(std::string_view name) {
  if (isFifoName(name)) {
    const auto base = name.substr(0, name.size() - kFifoSuffix.size());
    if (base.empty() || name.size() > kMaxQueueNameLength || !allNameChars(base))
      return Error(ErrorCode::InvalidParameterValue, std::string(kFifoNameMessage));
    return {};
  }
  if (!isNameToken(name)) return Error(ErrorCode::InvalidParameterValue, std::string(kStandardNameMessage));
  return {};
}

std::string queueArn(std::string_view region, std::string_view account, std::string_view name) {
  return fmt::format("arn:aws:sqs:{}:{}:{}", region, account, name);
}

Result<QueueAddress> parseQueueUrl(std::string_view url) {
  // Scheme, host and port say nothing about which queue is meant: clients reach us under many
  // names (localhost, 127.0.0.1, sqs.<region>.amazonaws.com via a proxy), so only the path counts.
  std::string_view path = url;
  if (const auto scheme = path.find("://"); scheme != std::string_view::npos) {
    path.remove_prefix(scheme + 3);
    const auto slash = path.find('/');
    if (slash == std::string_view::npos) return noSuchQueue();
    path.remove_prefix(slash);
  } else if (!path.starts_with('/')) {
    // "host:port/<account>/<name>" without a scheme.
    const auto slash = path.find('/');
    if (slash == std::string_view::npos) return noSuchQueue();
    path.remove_prefix(slash);
  }
  if (const auto query = path.find_first_of("?#"); query != std::string_view::npos) path = path.substr(0, query);
  if (!path.starts_with('/')) return noSuchQueue();
  path.remove_prefix(1);
  if (path.ends_with('/')) path.remove_suffix(1);

  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return noSuchQueue();
  const auto account = path.substr(0, slash);
  const auto name = path.substr(slash + 1);
  if (!isAccountId(account) || !validateQueueName(name).ok()) return noSuchQueue();
  return QueueAddress{std::string(account), std::string(name)};
}

Result<QueueArnParts> parseQueueArn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:sqs:";
  if (!arn.starts_with(kPrefix)) return noSuchQueue();
  arn.remove_prefix(kPrefix.size());
  const auto regionEnd = arn.find(':');
  if (regionEnd == std::string_view::npos || regionEnd == 0) return noSuchQueue();
  const auto rest = arn.substr(regionEnd + 1);
  const auto accountEnd = rest.find(':');
  if (accountEnd == std::string_view::npos) return noSuchQueue();
  const auto account = rest.substr(0, accountEnd);
  const auto name = rest.substr(accountEnd + 1);
  if (!isAccountId(account) || !validateQueueName(name).ok()) return noSuchQueue();
  return QueueArnParts{std::string(arn.substr(0, regionEnd)), std::string(account), std::string(name)};
}

std::string queueUrl(std::string_view base, std::string_view account, std::string_view name) {
  if (base.ends_with('/')) base.remove_suffix(1);
  return fmt::format("{}/{}/{}", base, account, name);
}

}  // namespace overcast::sqs
