#include "server/metrics.h"

#include <gtest/gtest.h>

namespace overcast::server {
namespace {

api::RequestRecord record(std::string_view service, std::string_view action, int status, int64_t micros) {
  api::RequestRecord r;
  r.service = service;
  r.action = action;
  r.status = status;
  r.micros = micros;
  return r;
}

TEST(Metrics, CountsAndCumulativeHistogram) {
  Metrics m(nullptr);
  m.onRequest(record("ec2", "DescribeRegions", 200, 40));
  m.onRequest(record("ec2", "DescribeRegions", 200, 700));
  m.onRequest(record("ec2", "DescribeRegions", 401, 30));
  m.onRequest(record("", "", 403, 10));
  std::string out;
  m.render(out);
  EXPECT_NE(out.find("overcast_requests_total{service=\"ec2\",action=\"DescribeRegions\",status=\"200\"} 2\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("overcast_requests_total{service=\"ec2\",action=\"DescribeRegions\",status=\"401\"} 1\n"),
            std::string::npos);
  EXPECT_NE(out.find("overcast_requests_total{service=\"unknown\",action=\"unknown\",status=\"403\"} 1\n"),
            std::string::npos);
  // le=5e-05 holds the 40 and 30 us requests; le=0.001 all three.
  EXPECT_NE(out.find("overcast_request_duration_seconds_bucket{service=\"ec2\",action=\"DescribeRegions\",le=\"5e-05\"} 2\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("overcast_request_duration_seconds_bucket{service=\"ec2\",action=\"DescribeRegions\",le=\"0.001\"} 3\n"),
            std::string::npos);
  EXPECT_NE(out.find("overcast_request_duration_seconds_count{service=\"ec2\",action=\"DescribeRegions\"} 3\n"),
            std::string::npos);
}

}  // namespace
}  // namespace overcast::server
