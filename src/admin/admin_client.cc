#include "admin/admin_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "auth/sigv4.h"
#include "core/clock.h"

namespace overcast::admin {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;

Result<json::object> callAdminApi(const std::string& endpoint, const std::string& accessKeyId,
                                  const std::string& secretAccessKey, const json::object& request) {
  std::string rest = endpoint;
  if (rest.rfind("http://", 0) == 0) rest = rest.substr(7);
  else return Error(ErrorCode::InvalidParameterValue, "the admin endpoint must be http://host:port, not " + endpoint);
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  auto colon = rest.rfind(':');
  std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);

  HttpRequest req;
  req.method = "POST";
  req.target = "/_overcast/admin";
  req.body = json::serialize(request);
  req.headers.push_back({"Host", rest});
  req.headers.push_back({"Content-Type", "application/json"});
  auth::signRequest(req, accessKeyId, secretAccessKey, "us-east-1", "overcast", RealClock().now());

  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve(host, port));
    bhttp::request<bhttp::string_body> out{bhttp::verb::post, req.target, 11};
    for (const auto& h : req.headers) out.set(h.name, h.value);
    out.body() = req.body;
    out.prepare_payload();
    bhttp::write(stream, out);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> in;
    bhttp::read(stream, buffer, in);
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    auto parsed = json::parse(in.body(), ec);
    if (ec || !parsed.is_object())
      return Error(ErrorCode::InternalFailure, "unexpected answer from " + endpoint + ": " + in.body());
    auto& o = parsed.get_object();
    if (in.result_int() != 200) {
      auto str = [&](const char* k) {
        auto* v = o.if_contains(k);
        return v && v->is_string() ? std::string(v->get_string()) : std::string();
      };
      return Error(ErrorCode::InternalFailure, str("__type") + ": " + str("message"));
    }
    return std::move(o);
  } catch (const std::exception& e) {  // Beast's sync API throws; keep it inside this adapter
    return Error(ErrorCode::ServiceUnavailable, "cannot reach " + endpoint + ": " + e.what());
  }
}

}  // namespace overcast::admin
