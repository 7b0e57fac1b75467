// Shared by the protocol tests: the built-in models, parsed once per test binary (parsing EC2's
// 1.1 MB model under ASan takes a moment), and small helpers to look things up.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "protocol/codec.h"
#include "protocol/service_model.h"

// Readable failure messages for value trees.
namespace boost::json {
inline void PrintTo(const object& o, std::ostream* os) { *os << serialize(o); }
inline void PrintTo(const value& v, std::ostream* os) { *os << serialize(v); }
}  // namespace boost::json

namespace overcast::protocol::testing {

inline const ModelRegistry& models() {
  static const std::unique_ptr<ModelRegistry> registry = [] {
    auto r = ModelRegistry::loadBuiltin();
    if (!r) ADD_FAILURE() << r.error().message();
    return std::move(*r);
  }();
  return *registry;
}

inline const ServiceModel& model(std::string_view service) {
  const ServiceModel* m = models().service(service);
  EXPECT_NE(m, nullptr) << service;
  return *m;
}

inline const Operation& op(std::string_view service, std::string_view name) {
  const Operation* o = model(service).operation(name);
  EXPECT_NE(o, nullptr) << name;
  return *o;
}

inline boost::json::object obj(std::string_view text) {
  return boost::json::parse(text).as_object();
}

inline std::string header(const HttpResponse& r, std::string_view name) {
  for (const auto& h : r.headers) {
    if (equalsIgnoreCase(h.name, name)) return h.value;
  }
  return "";
}

}  // namespace overcast::protocol::testing
