// The Retry-After parser: delta-seconds and the three HTTP-date forms, read against an explicit wall time;
// anything else is "no hint", huge values saturate, and no input can make it fail.
#include <cstdint>
#include <ctime>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "backoff/retry_after.hpp"
#include "backoff/saturating.hpp"
#include "test_time.hpp"

using backoff_test::kSecond;
using backoff::kMaxNs;

namespace {

// RFC 9110's example date, Sun, 06 Nov 1994 08:49:37 GMT, in seconds since 1970 (`date -u -d @784111777`).
constexpr std::int64_t kExampleInstant = 784'111'777;
constexpr std::int64_t kMinNs = INT64_MIN;

std::int64_t seconds_ns(std::int64_t seconds) { return seconds * kSecond; }

// The parser's answer in nanoseconds, which these tests count in.
std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now_unix_ns) {
  const std::optional<backoff::Duration> wait = backoff::parse_retry_after(value, now_unix_ns);
  if (!wait) return std::nullopt;
  return wait->ns();
}

// The instant of a UTC calendar time according to libc, an oracle independent of the parser.
std::int64_t libc_instant(int year, int month, int day, int hour, int minute, int second) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm));
}

// Formats `unix_seconds` with strftime in the C locale: libc writes the date, not the code under test.
std::string format_utc(std::int64_t unix_seconds, const char* format) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[64];
  const std::size_t length = std::strftime(text, sizeof text, format, &tm);
  REQUIRE(length > 0);
  return std::string(text, length);
}

constexpr const char* kImfFixdate = "%a, %d %b %Y %H:%M:%S GMT";
constexpr const char* kRfc850Date = "%A, %d-%b-%y %H:%M:%S GMT";
constexpr const char* kAsctimeDate = "%a %b %e %H:%M:%S %Y";

}  // namespace

TEST_CASE("delta-seconds ask for that many seconds, whatever the time now", "[retry_after]") {
  for (const std::int64_t now : {std::int64_t{0}, seconds_ns(kExampleInstant), kMinNs, kMaxNs}) {
    CAPTURE(now);
    CHECK(parse_retry_after("0", now) == 0);
    CHECK(parse_retry_after("1", now) == kSecond);
    CHECK(parse_retry_after("120", now) == 120 * kSecond);
    CHECK(parse_retry_after("007", now) == 7 * kSecond);
    CHECK(parse_retry_after(std::string(300, '0') + "5", now) == 5 * kSecond);
  }
}

TEST_CASE("spaces and tabs around a value are ignored", "[retry_after]") {
  CHECK(parse_retry_after(" 7\t", 0) == 7 * kSecond);
  CHECK(parse_retry_after("\t Sun, 06 Nov 1994 08:49:37 GMT  ", seconds_ns(kExampleInstant - 5)) == 5 * kSecond);
}

TEST_CASE("delta-seconds beyond the int64 nanosecond range saturate", "[retry_after]") {
  CHECK(parse_retry_after("9223372036", 0) == 9'223'372'036 * kSecond);  // the largest whole second that fits
  CHECK(parse_retry_after("9223372037", 0) == kMaxNs);
  CHECK(parse_retry_after("92233720360", 0) == kMaxNs);  // passes the range after a digit that still fit
  CHECK(parse_retry_after("18446744073709551616", 0) == kMaxNs);  // 2^64: would wrap a uint64 accumulator
  CHECK(parse_retry_after(std::string(1000, '9'), 0) == kMaxNs);
}

TEST_CASE("text that is neither delta-seconds nor an HTTP-date is no hint", "[retry_after]") {
  const char* const malformed[] = {
      "",
      "   ",
      "-5",
      "+5",
      "1.5",
      "1e3",
      "5s",
      "5 5",
      "0x10",
      "soon",
      "Sun, 06 Nov 1994 08:49:37",         // no zone
      "Sun, 06 Nov 1994 08:49:37 UTC",     // only GMT is allowed
      "Sun, 06 Nov 1994 08:49:37 GMT x",   // trailing text
      "Sun, 6 Nov 1994 08:49:37 GMT",      // one-digit day in IMF-fixdate
      "Sun 06 Nov 1994 08:49:37 GMT",      // no comma
      "Sun,  06 Nov 1994 08:49:37 GMT",    // two spaces
      "Sun, 06 Nov 94 08:49:37 GMT",       // two-digit year in IMF-fixdate
      "Sun, 06 Nov 1994 8:49:37 GMT",      // one-digit hour
      "Sun, 06 November 1994 08:49:37 GMT",
      "Sunday, 06 Nov 1994 08:49:37 GMT",  // long weekday in IMF-fixdate
      "Sun, 06-Nov-94 08:49:37 GMT",       // short weekday in RFC 850
      "Sunday, 06-Nov-1994 08:49:37 GMT",  // four-digit year in RFC 850
      "Sun Nov 6 08:49:37 1994",           // asctime pads a one-digit day with a space
      "Sun Nov  6 08:49:37 1994 GMT",
      "Sun Nov  6 08:49:37 94",
      "Funday, 06-Nov-94 08:49:37 GMT",
      "Sun, 06 Nox 1994 08:49:37 GMT",
  };
  for (const char* value : malformed) {
    CAPTURE(value);
    CHECK_FALSE(parse_retry_after(value, seconds_ns(kExampleInstant - 10)).has_value());
  }
  // Bytes that no header should hold: a NUL and a non-ASCII byte inside otherwise valid values.
  CHECK_FALSE(parse_retry_after(std::string("12\0", 3), 0).has_value());
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GM\xC3\x84", 0).has_value());
}

TEST_CASE("the three HTTP-date forms name the same instant", "[retry_after]") {
  const std::int64_t now = seconds_ns(kExampleInstant - 3);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 3 * kSecond);
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == 3 * kSecond);
  CHECK(parse_retry_after("Sun Nov  6 08:49:37 1994", now) == 3 * kSecond);
  CHECK(parse_retry_after("Sun Nov 06 08:49:37 1994", now) == 3 * kSecond);  // 2DIGIT is allowed too
}

TEST_CASE("an HTTP-date's wait is measured from now to the nanosecond", "[retry_after]") {
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", seconds_ns(kExampleInstant) - 2'500'000'001) ==
        2'500'000'001);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", seconds_ns(kExampleInstant) - 1) == 1);
}

TEST_CASE("an HTTP-date that is now or past asks for no wait", "[retry_after]") {
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", seconds_ns(kExampleInstant)) == 0);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", seconds_ns(kExampleInstant) + 1) == 0);
  CHECK(parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", kMaxNs) == 0);
  CHECK(parse_retry_after("Sat, 01 Jan 0000 00:00:00 GMT", 0) == 0);
}

TEST_CASE("an HTTP-date past what int64 nanoseconds can hold saturates", "[retry_after]") {
  // INT64_MAX ns after 1970 is 2262-04-11 23:47:16.854775807 UTC.
  CHECK(parse_retry_after("Fri, 11 Apr 2262 23:47:16 GMT", 0) == libc_instant(2262, 4, 11, 23, 47, 16) * kSecond);
  CHECK(parse_retry_after("Fri, 11 Apr 2262 23:47:17 GMT", 0) == kMaxNs);
  CHECK(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", 0) == kMaxNs);
  CHECK(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kMinNs) == kMaxNs);
}

TEST_CASE("month, weekday and zone names are matched without regard to case", "[retry_after]") {
  const std::int64_t now = seconds_ns(kExampleInstant - 1);
  CHECK(parse_retry_after("sun, 06 nov 1994 08:49:37 gmt", now) == kSecond);
  CHECK(parse_retry_after("SUNDAY, 06-NOV-94 08:49:37 GMT", now) == kSecond);
  CHECK(parse_retry_after("sUN nOV  6 08:49:37 1994", now) == kSecond);
}

TEST_CASE("a weekday that disagrees with the date is accepted", "[retry_after]") {
  CHECK(parse_retry_after("Mon, 06 Nov 1994 08:49:37 GMT", seconds_ns(kExampleInstant - 1)) == kSecond);
}

TEST_CASE("a date with a field out of range is no hint", "[retry_after]") {
  const std::int64_t now = 0;
  CHECK_FALSE(parse_retry_after("Wed, 29 Feb 1995 00:00:00 GMT", now).has_value());
  CHECK(parse_retry_after("Thu, 29 Feb 1996 00:00:00 GMT", now) == libc_instant(1996, 2, 29, 0, 0, 0) * kSecond);
  CHECK_FALSE(parse_retry_after("Mon, 29 Feb 2100 00:00:00 GMT", now).has_value());  // not a leap year
  CHECK(parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT", now) == libc_instant(2000, 2, 29, 0, 0, 0) * kSecond);
  CHECK_FALSE(parse_retry_after("Sun, 31 Apr 1994 00:00:00 GMT", now).has_value());
  CHECK_FALSE(parse_retry_after("Sun, 00 Nov 1994 00:00:00 GMT", now).has_value());
  CHECK_FALSE(parse_retry_after("Sun, 32 Dec 1994 00:00:00 GMT", now).has_value());
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 24:00:00 GMT", now).has_value());
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:60:00 GMT", now).has_value());
  CHECK_FALSE(parse_retry_after("Sun, 06 Nov 1994 08:49:61 GMT", now).has_value());
}

TEST_CASE("a leap second reads as the first second of the next minute", "[retry_after]") {
  CHECK(parse_retry_after("Sat, 31 Dec 2016 23:59:60 GMT", 0) == libc_instant(2017, 1, 1, 0, 0, 0) * kSecond);
}

TEST_CASE("a two-digit year is the latest one at most 50 years ahead of now, compared to the second",
          "[retry_after]") {
  // RFC 9110 5.6.7: a two-digit year that "appears to be more than 50 years in the future" is the most
  // recent past one with the same digits, and such a date has passed: no wait. The comparison is of whole
  // timestamps, not of years.
  struct Civil {
    int year, month, day, hour, minute, second;
    std::int64_t ns() const { return seconds_ns(libc_instant(year, month, day, hour, minute, second)); }
  };
  struct Reading {
    const char* text;
    Civil now;
    std::optional<Civil> read_as;  // nullopt: read as a past year
  };
  const Civil mid_2025{2025, 6, 1, 0, 0, 0}, june_2026{2026, 6, 1, 12, 0, 0};
  const Reading readings[] = {
      {"Monday, 01-Jan-74 00:00:00 GMT", mid_2025, Civil{2074, 1, 1, 0, 0, 0}},  // 49 years ahead
      {"Thursday, 01-Jan-76 00:00:00 GMT", mid_2025, std::nullopt},              // 2076 is 51 years ahead
      // Exactly 50 years ahead is still ahead; the year of "now" counts from January 1st.
      {"Tuesday, 01-Jan-75 00:00:00 GMT", mid_2025, Civil{2075, 1, 1, 0, 0, 0}},
      {"Wednesday, 01-Jan-76 00:00:00 GMT", {2026, 1, 15, 0, 0, 0}, Civil{2076, 1, 1, 0, 0, 0}},
      {"Thursday, 01-Jan-76 00:00:00 GMT", {1975, 12, 31, 23, 59, 59}, Civil{1976, 1, 1, 0, 0, 0}},
      {"Thursday, 01-Jan-70 00:00:00 GMT", {1969, 7, 20, 20, 17, 40}, Civil{1970, 1, 1, 0, 0, 0}},  // before 1970
      // At 2026-06-01 noon, 2076-01-01 is 49.6 years ahead, 2076-12-31 50.6 years.
      {"Wednesday, 01-Jan-76 00:00:00 GMT", june_2026, Civil{2076, 1, 1, 0, 0, 0}},
      {"Thursday, 31-Dec-76 00:00:00 GMT", june_2026, std::nullopt},
      // The boundary to the second: exactly 50 years ahead is not more than 50 years ahead.
      {"Monday, 01-Jun-76 12:00:00 GMT", june_2026, Civil{2076, 6, 1, 12, 0, 0}},
      {"Monday, 01-Jun-76 12:00:01 GMT", june_2026, std::nullopt},
      // Seen from a year later, the same text is 49 years ahead.
      {"Thursday, 31-Dec-76 00:00:00 GMT", {2027, 6, 1, 12, 0, 0}, Civil{2076, 12, 31, 0, 0, 0}},
  };
  for (const Reading& reading : readings) {
    CAPTURE(reading.text, reading.now.year, reading.now.month, reading.now.day);
    const std::int64_t now = reading.now.ns();
    CHECK(parse_retry_after(reading.text, now) == (reading.read_as ? reading.read_as->ns() - now : 0));
  }
}

TEST_CASE("every day from 1970 to 2100 in each form parses to libc's instant", "[retry_after]") {
  const std::int64_t first_day = 0;
  const std::int64_t last_day = libc_instant(2100, 12, 31, 0, 0, 0) / 86'400;
  for (std::int64_t day = first_day; day <= last_day; ++day) {
    const std::int64_t instant = day * 86'400 + (day * 7'919) % 86'400;  // a different time of day each day
    const std::int64_t now = seconds_ns(instant) - 1'250'000'000;
    for (const char* format : {kImfFixdate, kRfc850Date, kAsctimeDate}) {
      const std::string value = format_utc(instant, format);
      const std::optional<std::int64_t> wait = parse_retry_after(value, now);
      if (wait != 1'250'000'000) FAIL_CHECK(value << " gave " << (wait ? std::to_string(*wait) : "nullopt"));
    }
  }
}

TEST_CASE("no input makes the parser fail: the result is no hint or a wait in [0, INT64_MAX]", "[retry_after]") {
  std::mt19937_64 random(20250601);
  const std::string valid = "Sun, 06 Nov 1994 08:49:37 GMT";
  const std::string alphabet = "0123456789 \t,:-SunNovGMTday\x7f\xff";
  for (int round = 0; round < 200'000; ++round) {
    std::string value = valid;
    const int edits = static_cast<int>(random() % 4) + 1;
    for (int edit = 0; edit < edits; ++edit) {
      const std::size_t at = random() % (value.size() + 1);
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0: value.insert(at, 1, c); break;
        case 1: if (at < value.size()) value.erase(at, 1); break;
        default: if (at < value.size()) value[at] = c; break;
      }
    }
    const std::int64_t now = static_cast<std::int64_t>(random());
    const std::optional<std::int64_t> wait = parse_retry_after(value, now);
    if (wait && (*wait < 0)) FAIL_CHECK("negative wait for \"" << value << "\" at " << now);
  }
  for (std::size_t length = 0; length < valid.size(); ++length) {
    CAPTURE(length);
    CHECK_FALSE(parse_retry_after(valid.substr(0, length), 0).has_value());  // every proper prefix
  }
}
