#include "auth/amz_date.h"

#include <gtest/gtest.h>

namespace overcast::auth {
namespace {

using namespace std::chrono;

TEST(AmzDate, ParsesAndFormatsRoundTrip) {
  auto t = parseAmzDate("20150830T123600Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(*t, TimePoint(sys_days(year{2015} / August / day{30}) + hours(12) + minutes(36)));
  EXPECT_EQ(formatAmzDate(*t), "20150830T123600Z");
  EXPECT_EQ(formatAmzDate(TimePoint(sys_days(year{2024} / February / day{29}) + hours(23) + minutes(59) +
                                    seconds(59) + milliseconds(999))),
            "20240229T235959Z");
  EXPECT_EQ(formatAmzDate(TimePoint{}), "19700101T000000Z");
}

TEST(AmzDate, RejectsMalformed) {
  for (const char* bad : {"", "20150830T123600", "20150830 123600Z", "2015-08-30T12:36:00Z", "20151330T123600Z",
                          "20150230T123600Z", "20150830T243600Z", "20150830T126000Z", "2015083OT123600Z",
                          "20150830T123600ZZ"})
    EXPECT_FALSE(parseAmzDate(bad).has_value()) << bad;
}

TEST(AmzDate, ConvertsRfc1123) {
  EXPECT_EQ(rfc1123ToAmzDate("Sun, 30 Aug 2015 12:36:00 GMT").value_or(""), "20150830T123600Z");
  EXPECT_EQ(rfc1123ToAmzDate("Mon, 01 Jan 2024 00:00:09 GMT").value_or(""), "20240101T000009Z");
  for (const char* bad : {"Sun, 30 Aug 2015 12:36:00 UTC", "Sun, 30 Foo 2015 12:36:00 GMT", "30 Aug 2015 12:36:00",
                          "Sun, 31 Feb 2015 12:36:00 GMT", "Sun, 30 Aug 2015 12:36:0x GMT"})
    EXPECT_FALSE(rfc1123ToAmzDate(bad).has_value()) << bad;
}

}  // namespace
}  // namespace overcast::auth
