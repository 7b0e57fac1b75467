// Query-protocol success responses (SNS, STS, SQS-query), aws-reference.md §A4:
//   <OpResponse xmlns="ns"><OpResult>…</OpResult>
//   <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata></OpResponse>
// The result element is the operation's resultWrapper (botocore QueryParser looks for it).
#include "protocol/codec.h"
#include "protocol/encoders.h"
#include "protocol/xml_value_writer.h"

namespace overcast::protocol {
namespace detail {

HttpResponse encodeQueryXml(const ServiceModel& model, const Operation& op,
                            const boost::json::object& output, std::string_view requestId) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child((op.name + "Response").c_str());
  if (!model.xmlNamespace().empty()) {
    root.append_attribute("xmlns").set_value(model.xmlNamespace().c_str());
  }
  if (const boost::json::object* shape = model.shape(op.outputShape)) {
    std::string wrapper = op.resultWrapper.empty() ? op.name + "Result" : op.resultWrapper;
    writeXmlMembers(model, root.append_child(wrapper.c_str()), *shape, output);
  }
  root.append_child("ResponseMetadata")
      .append_child("RequestId")
      .text()
      .set(std::string(requestId).c_str());
  HttpResponse response;
  response.setHeader("Content-Type", std::string(kXmlContentType));
  response.body = xmlText(doc);
  return response;
}

}  // namespace detail

HttpResponse encodeOutput(const ServiceModel& model, const Operation& op, Protocol wire,
                          const boost::json::object& output, std::string_view requestId) {
  switch (wire) {
    case Protocol::Ec2: return detail::encodeEc2Xml(model, op, output, requestId);
    case Protocol::Json: return detail::encodeJson(model, op, boost::json::object(output), requestId);
    case Protocol::Query: break;
  }
  return detail::encodeQueryXml(model, op, output, requestId);
}

HttpResponse encodeOutput(const ServiceModel& model, const Operation& op, Protocol wire,
                          boost::json::object&& output, std::string_view requestId) {
  switch (wire) {
    case Protocol::Ec2: return detail::encodeEc2Xml(model, op, output, requestId);
    case Protocol::Json: return detail::encodeJson(model, op, std::move(output), requestId);
    case Protocol::Query: break;
  }
  return detail::encodeQueryXml(model, op, output, requestId);
}

}  // namespace overcast::protocol
