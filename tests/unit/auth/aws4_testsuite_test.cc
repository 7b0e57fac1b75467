// Replays AWS's public SigV4 suite (shared/testdata/sigv4/aws4_testsuite): for every case,
// rebuild .creq and .sts byte for byte from .sreq, accept the signature, and reject the request
// with one byte of the body, a signed header, the date or the signature changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "auth/sigv4.h"
#include "map_credential_store.h"
#include "raw_http.h"

namespace overcast::auth {
namespace {

namespace fs = std::filesystem;
using testing::kSuiteAccessKey;
using testing::kSuiteSecret;

const fs::path kSuiteDir = fs::path(OVERCAST_SIGV4_TESTDATA) / "aws4_testsuite";

// Cases whose .sreq carries a different Authorization than their .authz. In botocore's copy of
// the suite, get-vanilla-with-session-token's .sreq repeats get-vanilla's signature (its .req has
// no token; botocore signs .req and compares with .authz). For these we verify .authz and also
// check that the .sreq as shipped is refused.
const std::set<std::string> kSreqErrata = {"get-vanilla-with-session-token"};

TimePoint suiteTime() {
  using namespace std::chrono;
  return sys_days(year{2015} / August / day{30}) + hours(12) + minutes(36);
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every folder <dir>/<name> holding <name>.sreq, as a path relative to the suite root.
std::vector<std::string> discoverCases() {
  std::vector<std::string> cases;
  if (!fs::is_directory(kSuiteDir)) return cases;
  for (const auto& entry : fs::recursive_directory_iterator(kSuiteDir)) {
    if (!entry.is_directory()) continue;
    fs::path sreq = entry.path() / (entry.path().filename().string() + ".sreq");
    if (fs::exists(sreq)) cases.push_back(fs::relative(entry.path(), kSuiteDir).generic_string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string authorizationOf(const HttpRequest& r) { return std::string(r.header("Authorization")); }

void setHeader(HttpRequest& r, std::string_view name, std::string value) {
  for (auto& h : r.headers)
    if (equalsIgnoreCase(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  FAIL() << "no header " << name;
}

// The suite directory must exist: a missing one is a broken checkout, not a reason to skip.
TEST(Aws4TestSuite, DataIsPresent) {
  ASSERT_TRUE(fs::is_directory(kSuiteDir)) << "SigV4 suite not found at " << kSuiteDir;
  auto cases = discoverCases();
  EXPECT_GE(cases.size(), 30u);
  EXPECT_TRUE(std::count(cases.begin(), cases.end(), "normalize-path/get-space"));
  EXPECT_TRUE(std::count(cases.begin(), cases.end(), "post-sts-token/post-sts-header-before"));
}

class Aws4Case : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = kSuiteDir / GetParam();
    name_ = dir_.filename().string();
    request_ = testing::parseRawRequest(readFile(file(".sreq")));
    std::string authz = readFile(file(".authz"));
    while (!authz.empty() && (authz.back() == '\n' || authz.back() == '\r')) authz.pop_back();
    shippedAuthorization_ = authorizationOf(request_);
    if (kSreqErrata.count(name_)) {
      setHeader(request_, "Authorization", authz);
    } else {
      // Our parser keeps the space after "Authorization:"; the .authz file has none.
      ASSERT_EQ(shippedAuthorization_.substr(shippedAuthorization_.find_first_not_of(' ')), authz);
    }
  }
  fs::path file(const char* ext) const { return dir_ / (name_ + ext); }

  Result<Verified> verifyAt(const HttpRequest& r, TimePoint now) const {
    return verify(r, store_, now, VerifyOptions{});
  }
  void expectRejected(const HttpRequest& r, ErrorCode code, const char* what) const {
    auto result = verifyAt(r, suiteTime());
    ASSERT_FALSE(result.ok()) << what << " was accepted";
    EXPECT_EQ(result.error().code(), code) << what << ": " << result.error().message();
  }

  fs::path dir_;
  std::string name_;
  HttpRequest request_;
  std::string shippedAuthorization_;
  testing::MapCredentialStore store_ = testing::suiteStore();
};

TEST_P(Aws4Case, RebuildsCanonicalRequestAndStringToSign) {
  auto info = parseSignatureInfo(request_);
  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->accessKeyId, kSuiteAccessKey);
  EXPECT_EQ(info->scope.region, "us-east-1");
  EXPECT_EQ(info->scope.service, "service");
  std::string creq = canonicalRequest(request_, *info);
  EXPECT_EQ(creq, readFile(file(".creq")));
  std::string sts = stringToSign(*info, creq);
  EXPECT_EQ(sts, readFile(file(".sts")));
  EXPECT_EQ(computeSignature(kSuiteSecret, *info, sts), info->signature);
}

TEST_P(Aws4Case, AcceptsTheSignature) {
  auto result = verifyAt(request_, suiteTime());
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->credential.accessKeyId, kSuiteAccessKey);
  EXPECT_EQ(result->credential.accountId, "111122223333");
}

TEST_P(Aws4Case, ShippedSreqOfErrataIsRefused) {
  if (!kSreqErrata.count(name_)) return;
  EXPECT_NE(shippedAuthorization_.find("Signature="), std::string::npos);
  setHeader(request_, "Authorization", shippedAuthorization_);
  expectRejected(request_, ErrorCode::SignatureDoesNotMatch, "the shipped .sreq");
}

TEST_P(Aws4Case, RejectsChangedBody) {
  HttpRequest r = request_;
  if (r.body.empty()) r.body = "x";
  else r.body[0] = static_cast<char>(r.body[0] ^ 1);
  expectRejected(r, ErrorCode::SignatureDoesNotMatch, "changed body");
}

TEST_P(Aws4Case, RejectsChangedSignedHeader) {
  auto info = parseSignatureInfo(request_);
  ASSERT_TRUE(info.ok());
  // Change one byte of every signed header other than the date in turn (the date has its own test).
  int changed = 0;
  for (std::size_t i = 0; i < request_.headers.size(); ++i) {
    const HttpHeader& h = request_.headers[i];
    std::string lower = h.name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "x-amz-date") continue;
    if (std::find(info->signedHeaders.begin(), info->signedHeaders.end(), lower) == info->signedHeaders.end())
      continue;
    HttpRequest r = request_;
    std::string& v = r.headers[i].value;
    std::size_t pos = v.find_first_not_of(" \t\r\n");
    ASSERT_NE(pos, std::string::npos);
    v[pos] = static_cast<char>(v[pos] == 'Z' ? 'Y' : 'Z');
    expectRejected(r, ErrorCode::SignatureDoesNotMatch, ("changed header " + h.name).c_str());
    ++changed;
  }
  EXPECT_GE(changed, 1);  // every case signs host
}

TEST_P(Aws4Case, RejectsChangedDate) {
  HttpRequest r = request_;
  setHeader(r, "X-Amz-Date", "20150830T123601Z");  // one second later: inside the skew window
  expectRejected(r, ErrorCode::SignatureDoesNotMatch, "changed date");
}

TEST_P(Aws4Case, RejectsChangedSignature) {
  HttpRequest r = request_;
  std::string auth = authorizationOf(r);
  char& last = auth.back();
  last = last == '0' ? '1' : '0';
  setHeader(r, "Authorization", auth);
  expectRejected(r, ErrorCode::SignatureDoesNotMatch, "changed signature");
}

std::string caseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Suite, Aws4Case, ::testing::ValuesIn(discoverCases()), caseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Aws4Case);  // DataIsPresent reports a missing suite

}  // namespace
}  // namespace overcast::auth
