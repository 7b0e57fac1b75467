// EC2 success responses, aws-reference.md §A3: <OpResponse xmlns="http://ec2.amazonaws.com/doc/
// 2016-11-15/"> with <requestId> first and the output members directly under the root (no result
// wrapper); an operation without output answers <return>true</return> (boto 2 reads it).
#include "protocol/encoders.h"
#include "protocol/xml_value_writer.h"

namespace overcast::protocol::detail {

HttpResponse encodeEc2Xml(const ServiceModel& model, const Operation& op,
                          const boost::json::object& output, std::string_view requestId) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child((op.name + "Response").c_str());
  std::string ns = model.xmlNamespace();
  if (!ns.empty() && ns.back() != '/') ns += '/';  // the model omits the slash EC2 sends
  if (!ns.empty()) root.append_attribute("xmlns").set_value(ns.c_str());
  root.append_child("requestId").text().set(std::string(requestId).c_str());
  if (const boost::json::object* shape = model.shape(op.outputShape)) {
    writeXmlMembers(model, root, *shape, output);
  } else {
    root.append_child("return").text().set("true");
  }
  HttpResponse response;
  response.setHeader("Content-Type", std::string(kXmlContentType));
  response.body = xmlText(doc);
  return response;
}

}  // namespace overcast::protocol::detail
