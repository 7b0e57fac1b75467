#include "server/admin_api.h"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

namespace overcast::server {

namespace json = boost::json;

namespace {

HttpResponse jsonAnswer(int status, const json::object& body) {
  HttpResponse r;
  r.status = status;
  r.setHeader("Content-Type", "application/json");
  r.body = json::serialize(body);
  return r;
}

HttpResponse errorAnswer(const Error& e) {
  return jsonAnswer(e.httpStatus(), {{"__type", e.wireCode()}, {"message", e.message()}});
}

std::string stringField(const json::object& o, std::string_view name) {
  auto* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

AdminApi::AdminApi(accounts::AccountRepository& accounts, const auth::CredentialStore& keys, const Clock& clock,
                   auth::VerifyOptions verify, boost::asio::thread_pool& blocking)
    : accounts_(accounts), keys_(keys), clock_(clock), verify_(std::move(verify)), blocking_(blocking) {
  // The admin API always checks real signatures, even under --accept-any-key.
  verify_.acceptAnyKey = false;
}

void AdminApi::handle(HttpRequest&& request, std::function<void(HttpResponse&&)> respond) {
  if (request.method != "POST") return respond(errorAnswer(Error(ErrorCode::InvalidAction, "POST a JSON request")));
  auto verified = auth::verify(request, keys_, clock_.now(), verify_);
  if (!verified) return respond(errorAnswer(verified.error()));
  if (!verified->credential.admin)
    return respond(errorAnswer(Error(ErrorCode::AccessDenied, "This access key may not call the admin API.")));
  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  if (ec || !body.is_object())
    return respond(errorAnswer(Error(ErrorCode::SerializationException, "The body must be a JSON object.")));
  boost::asio::post(blocking_, [this, body = std::move(body.get_object()), respond = std::move(respond)] {
    auto extra = actions_.find(stringField(body, "Action"));
    auto result = extra != actions_.end() ? extra->second(body) : run(accounts_, body);
    respond(result ? jsonAnswer(200, *result) : errorAnswer(result.error()));
  });
}

Result<json::object> AdminApi::run(accounts::AccountRepository& accounts, const json::object& request) {
  const std::string action = stringField(request, "Action");
  if (action == "CreateAccount") {
    std::optional<std::string> id;
    if (auto s = stringField(request, "AccountId"); !s.empty()) id = s;
    auto created = accounts.createAccount(id);
    if (!created) return created.error();
    return json::object{{"AccountId", created->accountId}};
  }
  if (action == "ListAccounts") {
    auto list = accounts.listAccounts();
    if (!list) return list.error();
    json::array out;
    for (const auto& a : *list) out.push_back(json::object{{"AccountId", a.accountId}});
    return json::object{{"Accounts", std::move(out)}};
  }
  if (action == "CreateAccessKey") {
    bool admin = false;
    if (auto* v = request.if_contains("Admin"); v && v->is_bool()) admin = v->get_bool();
    auto key = accounts.createAccessKey(stringField(request, "AccountId"), admin);
    if (!key) return key.error();
    return json::object{{"AccessKeyId", key->accessKeyId},
                        {"SecretAccessKey", key->secretAccessKey},
                        {"AccountId", key->accountId},
                        {"Admin", key->admin}};
  }
  if (action == "ListAccessKeys") {
    std::optional<std::string> account;
    if (auto s = stringField(request, "AccountId"); !s.empty()) account = s;
    auto keys = accounts.listAccessKeys(account);
    if (!keys) return keys.error();
    json::array out;
    for (const auto& k : *keys)
      out.push_back(json::object{{"AccessKeyId", k.accessKeyId}, {"AccountId", k.accountId}, {"Admin", k.admin}});
    return json::object{{"AccessKeys", std::move(out)}};
  }
  if (action == "DeleteAccessKey") {
    auto deleted = accounts.deleteAccessKey(stringField(request, "AccessKeyId"));
    if (!deleted) return deleted.error();
    return json::object{{"Deleted", true}};
  }
  return Error(ErrorCode::InvalidAction, "Unknown admin action '" + action + "'.");
}

}  // namespace overcast::server
