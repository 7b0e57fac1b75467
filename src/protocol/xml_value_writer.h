// Writes value-tree data as XML elements per the model, the rules botocore's XML parsers read
// (parsers.py BaseXMLResponseParser): element names from locationName else the member name;
// lists as a wrapper with <member> (or the list member's locationName, "item" in EC2) children
// unless flattened; maps as <entry><key/><value/></entry> unless flattened; booleans true/false,
// timestamps ISO 8601 with milliseconds, blobs base64. Shared by the query and EC2 encoders.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <pugixml.hpp>

#include "protocol/service_model.h"

namespace overcast::protocol::detail {

// Appends, under `parent`, one element per member of `structureShape` that `value` holds.
void writeXmlMembers(const ServiceModel& model, pugi::xml_node parent,
                     const boost::json::object& structureShape, const boost::json::object& value);

// The document as text with an XML declaration, unindented.
std::string xmlText(const pugi::xml_document& doc);

// An HttpResponse content type for XML bodies.
inline constexpr std::string_view kXmlContentType = "text/xml";

}  // namespace overcast::protocol::detail
