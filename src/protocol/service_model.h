// ServiceModel: one AWS service's API model (operations and shapes), loaded from the
// generated, documentation-free copies of botocore's service-2.json (src/protocol/generated/).
// The decoders and encoders are driven by it; nothing else in overcast spells out wire names.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/value.hpp>

#include "core/result.h"

namespace overcast::protocol {

// The wire protocol a request arrived in / a response is written in. SQS speaks both Query and
// Json; the others speak what their model says.
enum class Protocol { Query, Ec2, Json };

struct Operation {
  std::string name;            // "DescribeRegions"
  std::string inputShape;      // empty if none
  std::string outputShape;     // empty if none
  std::string resultWrapper;   // query protocol: "<Name>Result"
};

// An error shape that also has a legacy query-protocol code (SQS: QueueDoesNotExist is
// "AWS.SimpleQueueService.NonExistentQueue" to query clients, and JSON clients get the legacy
// code in the x-amzn-query-error header). From the generated model's "queryError" trait.
struct QueryErrorAlias {
  std::string shapeName;  // "QueueDoesNotExist"
  std::string queryCode;  // "AWS.SimpleQueueService.NonExistentQueue"
};

enum class ShapeType { Structure, List, Map, String, Integer, Long, Float, Double, Boolean, Blob,
                       Timestamp, Unknown };

class ServiceModel {
 public:
  // `raw` is the generated model object (see tools/gen_models.py for its form).
  static Result<std::unique_ptr<ServiceModel>> fromJson(std::string_view serviceName,
                                                        const boost::json::object& raw);

  const std::string& name() const { return name_; }              // "ec2", "sqs", "sns", "sts"
  Protocol protocol() const { return protocol_; }                // the model's own protocol
  const std::string& apiVersion() const { return apiVersion_; }  // "2016-11-15"
  // The query/ec2 XML namespace; for SQS (a JSON model) the one its query responses use.
  const std::string& xmlNamespace() const { return xmlNamespace_; }
  const std::string& targetPrefix() const { return targetPrefix_; }  // json: "AmazonSQS"
  const std::string& jsonVersion() const { return jsonVersion_; }    // json: "1.0"
  const std::string& signingName() const { return signingName_; }
  // True for JSON services that still accept query clients (SQS: "awsQueryCompatible").
  bool awsQueryCompatible() const { return awsQueryCompatible_; }

  const Operation* operation(std::string_view name) const;
  // The shape definition (botocore form, documentation stripped), or nullptr.
  const boost::json::object* shape(std::string_view name) const;
  // The alias whose shape name or legacy query code is `code`, or nullptr.
  const QueryErrorAlias* queryErrorAlias(std::string_view code) const;

  // A shape reference inside this model ({"shape": "Name", ...}: a structure's member, a list's
  // member, a map's key or value) resolved once at load, so coding a request looks up neither
  // the shape nor its type. nullptr for anything else.
  struct ResolvedRef {
    const boost::json::object* shape = nullptr;
    ShapeType type = ShapeType::Unknown;
  };
  const ResolvedRef* resolvedRef(const boost::json::object* ref) const;

 private:
  void resolveRefs();  // fills refs_ (after shapes_ is final: it points into it)

  std::string name_, apiVersion_, xmlNamespace_, targetPrefix_, jsonVersion_, signingName_;
  Protocol protocol_ = Protocol::Query;
  bool awsQueryCompatible_ = false;
  std::vector<QueryErrorAlias> queryErrors_;
  std::map<std::string, Operation, std::less<>> operations_;
  boost::json::object shapes_;
  std::unordered_map<const boost::json::object*, ResolvedRef> refs_;  // into shapes_
};

// All the models overcast serves, parsed once at startup from the generated data.
class ModelRegistry {
 public:
  static Result<std::unique_ptr<ModelRegistry>> loadBuiltin();

  const ServiceModel* service(std::string_view name) const;
  // Services whose model defines `action` (SNS and SQS share several names).
  std::vector<const ServiceModel*> servicesWithOperation(std::string_view action) const;

 private:
  std::map<std::string, std::unique_ptr<ServiceModel>, std::less<>> services_;
};

}  // namespace overcast::protocol
