// Queue policies (the Policy attribute, AddPermission/RemovePermission): evaluation of the
// subset of the IAM policy language that SQS resource policies use, and the statements
// AddPermission writes. Pure.
//
// Supported: Effect Allow/Deny (Deny wins); Principal "*", {"AWS": account | arn | "*" | [...]},
// {"Service": name | [...]}; Action with wildcards, case-insensitive ("SQS:*", "sqs:Send*");
// Resource with wildcards (absent = any); Condition operators StringEquals, StringLike,
// StringNotEquals, ArnEquals, ArnLike, ArnNotEquals (and their IfExists forms) on the keys
// aws:SourceArn, aws:SourceAccount. NotPrincipal/NotAction/NotResource and unknown operators make a
// statement match nothing (so they never grant).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace overcast::sqs {

struct PolicyRequest {
  std::string principalAccount;  // the caller's account ("" for a service principal)
  std::string principalService;  // e.g. "sns.amazonaws.com" for SNS deliveries; "" otherwise
  std::string action;            // "sqs:SendMessage"
  std::string resourceArn;       // the queue's ARN
  std::string sourceArn;         // aws:SourceArn ("" if none)
  std::string sourceAccount;     // aws:SourceAccount ("" if none)
};

enum class PolicyDecision { Allow, Deny, NoMatch };

// An unparsable policy grants nothing (NoMatch).
PolicyDecision evaluatePolicy(std::string_view policyJson, const PolicyRequest& request);

// The policy with a statement {Sid: label, Allow, Principal accounts, Actions ("SQS:<name>"),
// Resource queueArn} added. Error InvalidParameterValue if the label exists or is malformed.
// `service` prefixes the actions ("SQS:SendMessage"); SNS topics use the same statements with "SNS".
Result<std::string> addPermission(std::string_view policyJson, std::string_view queueArn, std::string_view label,
                                  const std::vector<std::string>& accounts, const std::vector<std::string>& actions,
                                  std::string_view service = "SQS");

// The policy without the statement whose Sid is `label` ("" when none remain).
// Error InvalidParameterValue if no such label.
Result<std::string> removePermission(std::string_view policyJson, std::string_view label);

}  // namespace overcast::sqs
