#include "scenario.h"

#include <fmt/format.h>

namespace overcast::bench {

namespace {

constexpr std::size_t kSqsMessageBytes = 256;

// Percent-encodes for a form value (RFC 3986 unreserved characters stay as they are).
void appendFormEncoded(std::string_view value, std::string& out) {
  for (char c : value) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) out += c;
    else fmt::format_to(std::back_inserter(out), "%{:02X}", static_cast<unsigned char>(c));
  }
}

// SendMessage with a unique 256-byte body: the sequence number in hex, padded.
void sqsSendMessageBody(std::uint64_t seq, std::string_view queueUrl, std::string& out) {
  out = "Action=SendMessage&Version=2012-11-05&QueueUrl=";
  appendFormEncoded(queueUrl, out);
  out += "&MessageBody=";
  std::size_t start = out.size();
  fmt::format_to(std::back_inserter(out), "overcast-bench-{:016x}-", seq);
  out.append(kSqsMessageBytes - (out.size() - start), 'x');
}

// boto3 sends query-protocol forms with this exact Content-Type.
constexpr std::string_view kForm = "application/x-www-form-urlencoded; charset=utf-8";

constexpr Scenario kScenarios[] = {
    {
        .name = "sts-get-caller-identity",
        .description = "STS GetCallerIdentity (query protocol, SigV4 scope sts)",
        .method = "POST",
        .target = "/",
        .service = "sts",
        .contentType = kForm,
        .body = "Action=GetCallerIdentity&Version=2011-06-15",
    },
    {
        .name = "ec2-describe-availability-zones",
        .description = "EC2 DescribeAvailabilityZones (EC2 query protocol, SigV4 scope ec2)",
        .method = "POST",
        .target = "/",
        .service = "ec2",
        .contentType = kForm,
        .body = "Action=DescribeAvailabilityZones&Version=2016-11-15",
    },
    {
        .name = "sqs-send-message",
        .description = "SQS SendMessage (query protocol), a unique 256-byte body each, to a queue "
                       "made by CreateQueue at setup",
        .method = "POST",
        .target = "/",
        .service = "sqs",
        .contentType = kForm,
        .makeBody = sqsSendMessageBody,
        .setupBody = "Action=CreateQueue&QueueName=overcast-bench&Version=2012-11-05",
        .setupResult = "QueueUrl",
        .setupFallback = "http://{host}/000000000000/overcast-bench",
    },
    {
        .name = "sqs-send",
        .description = "SQS SendMessage, JSON protocol (AmazonSQS.SendMessage): a unique 256-byte "
                       "body each, signed per request, to a fresh queue made at setup",
        .sqs = SqsMode::kSend,
        .sqsProtocol = SqsProtocol::kJson,
    },
    {
        .name = "sqs-send-query",
        .description = "sqs-send over the query protocol (Action=SendMessage form)",
        .sqs = SqsMode::kSend,
        .sqsProtocol = SqsProtocol::kQuery,
    },
    {
        .name = "sqs-cycle",
        .description = "SQS JSON protocol, per connection: 10 x SendMessage, ReceiveMessage(10), "
                       "DeleteMessageBatch of what came back; msg/s, lost and duplicated counted",
        .sqs = SqsMode::kCycle,
        .sqsProtocol = SqsProtocol::kJson,
    },
    {
        .name = "sqs-cycle-query",
        .description = "sqs-cycle over the query protocol",
        .sqs = SqsMode::kCycle,
        .sqsProtocol = SqsProtocol::kQuery,
    },
    {
        .name = "sns-publish-1",
        .description = "SNS Publish (query protocol, SigV4 scope sns) of a unique 256-byte message "
                       "each to a topic with 1 SQS subscription; copies counted after the run",
        .snsSubscriptions = 1,
    },
    {
        .name = "sns-publish-10",
        .description = "sns-publish-1 with 10 SQS subscriptions (10 copies per publish)",
        .snsSubscriptions = 10,
    },
    {
        .name = "sns-publish-existing",
        .description = "sns-publish-1's Publish to the topic given by --sns-topic-arn (made and "
                       "subscribed beforehand, e.g. by bench/sns-http); --messages N stops after N",
        .snsExisting = true,
    },
    {
        .name = "ec2-describe-tag",
        .description = "EC2 DescribeInstances with Filter tag:Name=group-<k> (10 instances of an "
                       "account filled with --ec2-fill); each answer checked for 10 instances",
        .ec2 = Ec2Mode::kDescribeTag,
    },
    {
        .name = "ec2-describe-id",
        .description = "EC2 DescribeInstances with Filter instance-id = the 10 ids of one group",
        .ec2 = Ec2Mode::kDescribeIdFilter,
    },
    {
        .name = "ec2-describe-ids",
        .description = "EC2 DescribeInstances with InstanceId.1..10 = the 10 ids of one group",
        .ec2 = Ec2Mode::kDescribeIds,
    },
    {
        .name = "ec2-run-10",
        .description = "EC2 RunInstances MinCount=MaxCount=10 (--ec2-image), then TerminateInstances "
                       "of those 10, in turn; rps and latency are of RunInstances alone",
        .ec2 = Ec2Mode::kRun,
    },
    {
        .name = "raw-get",
        .description = "GET / unsigned: the HTTP ceiling (nginx, overcast-fixed-server)",
        .method = "GET",
        .target = "/",
    },
};

}  // namespace

std::span<const Scenario> scenarios() { return kScenarios; }

const Scenario* findScenario(std::string_view name) {
  for (const auto& scenario : kScenarios)
    if (scenario.name == name) return &scenario;
  return nullptr;
}

}  // namespace overcast::bench
