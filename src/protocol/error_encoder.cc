// encodeError: an Error in each protocol's error shape (aws-reference.md §A3–A5).
//   query: <ErrorResponse xmlns=ns><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
//          <RequestId/></ErrorResponse>
//   ec2:   <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
//          (capital "ID": botocore's EC2QueryParser and boto 2 read that spelling)
//   json:  {"__type": code, "message": text} + x-amzn-RequestId; for query-compatible services
//          (SQS) also x-amzn-query-error "<legacy code>;Sender|Receiver", from which botocore
//          restores the code query clients knew.
// A code that names an SQS error shape or its legacy code is written the way each protocol
// expects (legacy code in XML, shape name in __type), so callers may use either spelling.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "protocol/codec.h"
#include "protocol/encoders.h"
#include "protocol/xml_value_writer.h"

namespace overcast::protocol {
namespace {

std::string_view faultName(const Error& error) {
  return error.fault() == Fault::Sender ? "Sender" : "Receiver";
}

void setText(pugi::xml_node parent, const char* name, std::string_view text) {
  parent.append_child(name).text().set(std::string(text).c_str());
}

HttpResponse xmlResponse(const Error& error, const pugi::xml_document& doc) {
  HttpResponse response;
  response.status = error.httpStatus();
  response.setHeader("Content-Type", std::string(detail::kXmlContentType));
  response.body = detail::xmlText(doc);
  return response;
}

HttpResponse queryError(const ServiceModel* model, const Error& error, std::string_view requestId) {
  std::string_view code = error.wireCode();
  const QueryErrorAlias* alias = model ? model->queryErrorAlias(code) : nullptr;
  if (alias && !alias->queryCode.empty()) code = alias->queryCode;
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("ErrorResponse");
  if (model && !model->xmlNamespace().empty()) {
    root.append_attribute("xmlns").set_value(model->xmlNamespace().c_str());
  }
  pugi::xml_node err = root.append_child("Error");
  setText(err, "Type", faultName(error));
  setText(err, "Code", code);
  setText(err, "Message", error.message());
  setText(root, "RequestId", requestId);
  return xmlResponse(error, doc);
}

HttpResponse ec2Error(const Error& error, std::string_view requestId) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("Response");
  pugi::xml_node err = root.append_child("Errors").append_child("Error");
  setText(err, "Code", error.wireCode());
  setText(err, "Message", error.message());
  setText(root, "RequestID", requestId);
  return xmlResponse(error, doc);
}

HttpResponse jsonError(const ServiceModel* model, const Error& error, std::string_view requestId) {
  std::string_view type = error.wireCode();
  HttpResponse response;
  response.status = error.httpStatus();
  response.setHeader("Content-Type", detail::jsonContentType(model));
  response.setHeader("x-amzn-RequestId", std::string(requestId));
  if (model && model->awsQueryCompatible()) {
    std::string_view legacy = type;
    if (const QueryErrorAlias* alias = model->queryErrorAlias(type)) {
      type = alias->shapeName;
      if (!alias->queryCode.empty()) legacy = alias->queryCode;
    }
    response.setHeader("x-amzn-query-error",
                       std::string(legacy) + ";" + std::string(faultName(error)));
  }
  boost::json::object body;
  body["__type"] = type;
  body["message"] = error.message();
  response.body = boost::json::serialize(body);
  return response;
}

}  // namespace

HttpResponse encodeError(const ServiceModel* model, Protocol wire, const Error& error,
                         std::string_view requestId) {
  switch (wire) {
    case Protocol::Ec2: return ec2Error(error, requestId);
    case Protocol::Json: return jsonError(model, error, requestId);
    case Protocol::Query: break;
  }
  return queryError(model, error, requestId);
}

}  // namespace overcast::protocol
