#include "server/local_admin.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

namespace overcast::server {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path localAdminPath(const fs::path& dataDir) { return dataDir / "admin-credentials.json"; }

Result<void> writeLocalAdmin(const fs::path& dataDir, const LocalAdminFile& file) {
  fs::path path = localAdminPath(dataDir);
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Error(ErrorCode::InternalFailure, "cannot write " + tmp.string());
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    out << json::serialize(json::object{{"endpoint", file.endpoint},
                                        {"access_key_id", file.accessKeyId},
                                        {"secret_access_key", file.secretAccessKey},
                                        {"pid", file.pid}})
        << "\n";
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Error(ErrorCode::InternalFailure, "cannot write " + path.string() + ": " + ec.message());
  return {};
}

Result<LocalAdminFile> readLocalAdmin(const fs::path& dataDir) {
  std::ifstream in(localAdminPath(dataDir));
  if (!in) return Error(ErrorCode::InternalFailure, "no " + localAdminPath(dataDir).string());
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = json::parse(ss.str(), ec);
  if (ec || !v.is_object()) return Error(ErrorCode::InternalFailure, "unreadable " + localAdminPath(dataDir).string());
  const auto& o = v.get_object();
  auto str = [&](const char* k) -> std::string {
    auto* p = o.if_contains(k);
    return p && p->is_string() ? std::string(p->get_string()) : std::string();
  };
  LocalAdminFile f{str("endpoint"), str("access_key_id"), str("secret_access_key"), 0};
  if (auto* p = o.if_contains("pid"); p && p->is_int64()) f.pid = static_cast<long>(p->get_int64());
  return f;
}

void removeLocalAdmin(const fs::path& dataDir) {
  std::error_code ec;
  fs::remove(localAdminPath(dataDir), ec);
}

}  // namespace overcast::server
