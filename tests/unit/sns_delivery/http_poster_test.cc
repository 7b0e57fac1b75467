// HttpPoster against in-process loopback servers: what arrives, what counts as delivered,
// timeouts, refused connections, keep-alive, concurrency, and HTTPS verification.
#include "services/sns/delivery/http_poster.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <chrono>
#include <fstream>
#include <thread>

#include "fake_http_server.h"
#include "fakes/temp_dir.h"
#include "test_cert.h"

namespace overcast::sns {
namespace {

using namespace std::chrono_literals;
using testing::FakeHttpServer;
using testing::FakeHttpServerOptions;

// Designated initializers would trip -Wmissing-field-initializers: set fields one by one.
FakeHttpServerOptions serverOptions(void (*edit)(FakeHttpServerOptions&)) {
  FakeHttpServerOptions options;
  edit(options);
  return options;
}

FakeHttpServerOptions tlsOptions(const testing::TestCert& cert) {
  FakeHttpServerOptions options;
  options.certPem = cert.certPem;
  options.keyPem = cert.keyPem;
  return options;
}

HttpPosterOptions quick() {
  HttpPosterOptions options;
  options.timeout = 5s;
  return options;
}

TEST(HttpPosterTest, BodyAndHeadersArriveIntact) {
  FakeHttpServer server;
  HttpPoster poster(quick());
  const std::string body = R"({"Type":"Notification","Message":"h\u00e9llo","Subject":"s"})";
  HttpPostResult result =
      poster.post(server.url("/sns/endpoint?x=1"),
                  {{"x-amz-sns-message-type", "Notification"},
                   {"x-amz-sns-message-id", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324"},
                   {"x-amz-sns-topic-arn", "arn:aws:sns:us-east-1:123456789012:MyTopic"}},
                  body);
  EXPECT_TRUE(result.delivered()) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.error, "");

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/sns/endpoint?x=1");
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.header("x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(r.header("x-amz-sns-message-id"), "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
  EXPECT_EQ(r.header("x-amz-sns-topic-arn"), "arn:aws:sns:us-east-1:123456789012:MyTopic");
  EXPECT_EQ(r.header("User-Agent"), "Amazon Simple Notification Service Agent");
  EXPECT_EQ(r.header("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(r.header("Content-Length"), std::to_string(body.size()));
  EXPECT_EQ(r.header("Expect"), "");
}

TEST(HttpPosterTest, CallerContentTypeAndEmptyBody) {
  FakeHttpServer server;
  HttpPoster poster(quick());
  EXPECT_TRUE(poster.post(server.url(), {{"Content-Type", "application/json"}}, "").delivered());
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].body, "");
  EXPECT_EQ(requests[0].header("Content-Length"), "0");
}

TEST(HttpPosterTest, StatusDecidesDelivery) {
  FakeHttpServer server;
  HttpPoster poster(quick());
  for (int status : {200, 201, 204, 400, 403, 404, 429, 499, 500, 502, 503}) {
    server.setStatus(status);
    const HttpPostResult result = poster.post(server.url(), {}, "m");
    EXPECT_EQ(result.status, status);
    EXPECT_EQ(result.error, "") << status;
    EXPECT_EQ(result.delivered(), status < 500) << status;
  }
}

TEST(HttpPosterTest, RedirectIsNotFollowed) {
  FakeHttpServer server(serverOptions([](FakeHttpServerOptions& o) { o.status = 301; }));
  HttpPoster poster(quick());
  const HttpPostResult result = poster.post(server.url("/old"), {}, "m");
  EXPECT_EQ(result.status, 301);
  EXPECT_TRUE(result.delivered());  // AWS: any status 200–4xx
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpPosterTest, SilentServerTimesOut) {
  FakeHttpServer server(serverOptions([](FakeHttpServerOptions& o) { o.answer = false; }));
  HttpPosterOptions options;
  options.timeout = 300ms;
  HttpPoster poster(options);
  const auto start = std::chrono::steady_clock::now();
  const HttpPostResult result = poster.post(server.url(), {}, "m");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(result.delivered());
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.error.find("Timeout"), std::string::npos) << result.error;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);
  EXPECT_EQ(server.requests().size(), 1u);  // it did arrive; only the answer was missing
}

TEST(HttpPosterTest, RefusedConnectionFails) {
  // A bound socket that is not listening: connecting to it is refused, and nobody else can
  // take the port meanwhile.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor bound(ioc);
  bound.open(boost::asio::ip::tcp::v4());
  bound.bind({boost::asio::ip::address_v4::loopback(), 0});
  HttpPoster poster(quick());
  const HttpPostResult result = poster.post(
      "http://127.0.0.1:" + std::to_string(bound.local_endpoint().port()) + "/", {}, "m");
  EXPECT_FALSE(result.delivered());
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.error, "");
}

TEST(HttpPosterTest, PostsReuseOneConnection) {
  FakeHttpServer server;
  HttpPoster poster(quick());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(poster.post(server.url(), {}, "m").delivered());
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.accepts(), 1);
}

TEST(HttpPosterTest, ConcurrentPostsFromSeveralThreads) {
  FakeHttpServer server;
  HttpPoster poster(quick());
  constexpr int kThreads = 4;
  constexpr int kPostsEach = 5;
  std::atomic<int> delivered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPostsEach; ++i) {
        const std::string body = "thread " + std::to_string(t) + " post " + std::to_string(i);
        if (poster.post(server.url(), {{"x-n", std::to_string(i)}}, body).delivered()) ++delivered;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(delivered.load(), kThreads * kPostsEach);
  EXPECT_EQ(server.requests().size(), static_cast<std::size_t>(kThreads * kPostsEach));
  EXPECT_LE(server.accepts(), kThreads);  // one kept-alive connection per concurrent handle
}

TEST(HttpPosterTest, LargeResponseBodyIsCappedButStillCounts) {
  FakeHttpServer server(
      serverOptions([](FakeHttpServerOptions& o) { o.responseBodyBytes = 1024 * 1024; }));
  HttpPoster poster(quick());
  const HttpPostResult result = poster.post(server.url(), {}, "m");
  EXPECT_EQ(result.status, 200);
  EXPECT_TRUE(result.delivered()) << result.error;
}

TEST(HttpPosterTest, HeaderInjectionIsRejectedBeforeSending) {
  FakeHttpServer server;
  HttpPoster poster(quick());
  for (const HttpHeaderList& headers :
       {HttpHeaderList{{"x-a", "v\r\nX-Evil: 1"}}, HttpHeaderList{{"x-a", "v\nw"}},
        HttpHeaderList{{"bad name", "v"}}, HttpHeaderList{{"", "v"}},
        HttpHeaderList{{"x-a:b", "v"}}}) {
    const HttpPostResult result = poster.post(server.url(), headers, "m");
    EXPECT_FALSE(result.delivered());
    EXPECT_NE(result.error, "");
  }
  EXPECT_EQ(server.accepts(), 0);
}

TEST(HttpPosterTest, OnlyHttpAndHttpsSchemes) {
  HttpPoster poster(quick());
  for (const char* url : {"file:///etc/hostname", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"}) {
    const HttpPostResult result = poster.post(url, {}, "m");
    EXPECT_FALSE(result.delivered()) << url;
    EXPECT_NE(result.error, "") << url;
  }
}

class HttpsPosterTest : public ::testing::Test {
 protected:
  std::string writeFile(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  overcast::testing::TempDir dir_;
};

TEST_F(HttpsPosterTest, SelfSignedCertificateFailsWithoutCaBundle) {
  const auto cert = testing::makeSelfSignedCert({"DNS:localhost", "IP:127.0.0.1"});
  FakeHttpServer server(tlsOptions(cert));
  HttpPoster poster(quick());
  const HttpPostResult result = poster.post(server.url(), {}, "m");
  EXPECT_FALSE(result.delivered());
  EXPECT_EQ(result.status, 0);
  EXPECT_NE(result.error.find("certificate"), std::string::npos) << result.error;
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HttpsPosterTest, CaBundleAddsTrust) {
  const auto cert = testing::makeSelfSignedCert({"DNS:localhost", "IP:127.0.0.1"});
  FakeHttpServer server(tlsOptions(cert));
  HttpPosterOptions options = quick();
  options.caBundle = writeFile("ca.pem", cert.certPem);
  HttpPoster poster(options);
  for (int i = 0; i < 2; ++i) {
    const HttpPostResult result =
        poster.post(server.url("/hook"), {{"x-amz-sns-message-type", "Notification"}}, "tls body");
    EXPECT_TRUE(result.delivered()) << result.error;
    EXPECT_EQ(result.status, 200);
  }
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].body, "tls body");
  EXPECT_EQ(requests[1].header("x-amz-sns-message-type"), "Notification");
  EXPECT_EQ(server.accepts(), 1);  // TLS connections are kept alive too
}

TEST_F(HttpsPosterTest, HostNameIsVerifiedEvenForTrustedCertificates) {
  const auto cert = testing::makeSelfSignedCert({"DNS:other.example"});
  FakeHttpServer server(tlsOptions(cert));
  HttpPosterOptions options = quick();
  options.caBundle = writeFile("ca.pem", cert.certPem);
  HttpPoster poster(options);
  const HttpPostResult result = poster.post(server.url(), {}, "m");
  EXPECT_FALSE(result.delivered());
  EXPECT_NE(result.error, "");
  EXPECT_TRUE(server.requests().empty());
}

TEST_F(HttpsPosterTest, UnreadableCaBundleFailsEveryPost) {
  FakeHttpServer server;
  HttpPosterOptions options = quick();
  options.caBundle = (dir_ / "missing.pem").string();
  HttpPoster poster(options);
  const HttpPostResult result = poster.post(server.url(), {}, "m");
  EXPECT_FALSE(result.delivered());
  EXPECT_NE(result.error.find("missing.pem"), std::string::npos) << result.error;
  EXPECT_EQ(server.accepts(), 0);
}

}  // namespace
}  // namespace overcast::sns
