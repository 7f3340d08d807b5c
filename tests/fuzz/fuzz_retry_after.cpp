// Fuzz target: backoff_retry_after_parse(), which reads a header any server on the network may send.
//
// Each input is read two ways. First, its bytes are parsed as they are, at an arbitrary wall-clock time:
// the parser must answer BACKOFF_OK with a wait in [0, INT64_MAX] or BACKOFF_EINVAL without writing
// anything, the same answer for the value with spaces and tabs around it, and the exact saturated value
// for delta-seconds. Second, the input chooses an instant and a time "now", and the target writes that
// instant as a server could: delta-seconds, IMF-fixdate, RFC 850 and asctime, in any letter case, with
// any weekday. The checks, all from backoff.h and RFC 9110:
//   - every form of one instant gives the same wait, and a delta of d seconds gives the wait of the date
//     d seconds after a whole-second now, saturated alike far beyond the int64 range;
//   - a date's wait is the time from now until it (0 once it has passed), saturated at INT64_MAX;
//   - a two-digit RFC 850 year is read within 50 years of now, in the century that puts it there;
//   - a field out of range (day 0, 30 February, hour 24, minute 60, second 61) is invalid.
// The calendar arithmetic here is written independently of the parser's.
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "backoff.h"
#include "fuzz_check.hpp"
#include "fuzz_input.hpp"

using namespace backoff_fuzz;

namespace {

constexpr std::int64_t kMaxNs = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
// Wide enough for any date's nanoseconds and any delta, so that the expected values never overflow.
__extension__ typedef __int128 Wide;
constexpr std::int64_t kNoAnswer = -7;  // what the out-parameter holds before a call: never a valid wait

const char* const kShortDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
const char* const kLongDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

bool is_leap(std::int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int month_length(std::int64_t year, int month) {
  static const int kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kLengths[month - 1];
}

// Leap days in the years [1, year], negative for years before 1.
std::int64_t leap_days_through(std::int64_t year) {
  return floor_div(year, 4) - floor_div(year, 100) + floor_div(year, 400);
}

// Days from 1970-01-01 to the first of January of `year`, by counting years and leap days.
std::int64_t days_to_year(std::int64_t year) {
  return 365 * (year - 1970) + leap_days_through(year - 1) - leap_days_through(1969);
}

std::int64_t days_from_date(std::int64_t year, int month, int day) {
  std::int64_t days = days_to_year(year);
  for (int m = 1; m < month; ++m) days += month_length(year, m);
  return days + day - 1;
}

std::int64_t year_of_days(std::int64_t days) {
  std::int64_t year = 1970 + (days >= 0 ? days / 366 : floor_div(days, 365));  // at or before the answer
  while (days_to_year(year + 1) <= days) ++year;
  return year;
}

struct Instant {
  std::int64_t year;
  int month, day, hour, minute, second;
};

// Seconds since 1970; second 60 is the first second of the next minute, as backoff.h says.
std::int64_t unix_seconds(const Instant& t) {
  return days_from_date(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 + t.minute * 60 + t.second;
}

Instant instant_at(std::int64_t seconds) {
  const std::int64_t days = floor_div(seconds, kSecondsPerDay);
  const std::int64_t in_day = seconds - days * kSecondsPerDay;
  Instant t{year_of_days(days), 1, 1, static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
            static_cast<int>(in_day % 60)};
  std::int64_t left = days - days_to_year(t.year);
  while (left >= month_length(t.year, t.month)) left -= month_length(t.year, t.month++);
  t.day = static_cast<int>(left) + 1;
  return t;
}

int weekday(const Instant& t) {  // 0 = Sunday; 1970-01-01 was a Thursday
  const std::int64_t w = (days_from_date(t.year, t.month, t.day) + 4) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

// The exact wait from now until `seconds`, clamped to [0, INT64_MAX].
std::int64_t exact_wait(std::int64_t seconds, std::int64_t now_ns) {
  const Wide wait = static_cast<Wide>(seconds) * kNsPerSecond - now_ns;
  return wait <= 0 ? 0 : wait >= kMaxNs ? kMaxNs : static_cast<std::int64_t>(wait);
}

// A wait less than a second short of INT64_MAX may come back saturated: the parser works in whole
// seconds until it knows the wait fits, and 292 years less a fraction of a second is no different a hint.
bool same_wait(std::int64_t wait_ns, std::int64_t expected_ns) {
  return wait_ns == expected_ns || (wait_ns == kMaxNs && expected_ns > kMaxNs - kNsPerSecond);
}

struct Answer {
  int status;
  std::int64_t wait_ns;
  bool operator==(const Answer& other) const { return status == other.status && wait_ns == other.wait_ns; }
};

Answer parse(const std::string& value, std::int64_t now_ns) {
  Answer answer{0, kNoAnswer};
  answer.status = backoff_retry_after_parse(&answer.wait_ns, value.c_str(), now_ns);
  FUZZ_REQUIRE(answer.status == BACKOFF_OK || answer.status == BACKOFF_EINVAL, "status %d for '%s'", answer.status,
               value.c_str());
  if (answer.status == BACKOFF_OK) {
    FUZZ_REQUIRE(answer.wait_ns >= 0, "'%s' at %" PRId64 " asks for %" PRId64 " ns", value.c_str(), now_ns,
                 answer.wait_ns);
  } else {
    FUZZ_REQUIRE(answer.wait_ns == kNoAnswer, "an invalid '%s' wrote %" PRId64, value.c_str(), answer.wait_ns);
  }
  return answer;
}

std::string padding(FuzzInput& input) {
  std::string pad;
  for (std::uint32_t n = input.below(3); n != 0; --n) pad += input.flag() ? ' ' : '\t';
  return pad;
}

// Letters in any case: "GMT", months and weekdays are matched without regard to case.
std::string any_case(FuzzInput& input, std::string text) {
  const std::uint8_t mask = input.byte();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (((mask >> (i % 8)) & 1) == 0) continue;
    if (c >= 'a' && c <= 'z') text[i] = static_cast<char>(c - 'a' + 'A');
    else if (c >= 'A' && c <= 'Z') text[i] = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// ----- the bytes as they are -----

// delta-seconds of any length, saturated: the value backoff.h documents for an all-digit string.
std::int64_t delta_wait(const std::string& digits) {
  Wide seconds = 0;
  for (const char c : digits) {
    seconds = seconds * 10 + (c - '0');
    if (seconds > kMaxNs) return kMaxNs;
  }
  return seconds * kNsPerSecond >= kMaxNs ? kMaxNs : static_cast<std::int64_t>(seconds * kNsPerSecond);
}

void check_raw(const std::string& bytes, std::int64_t now_ns, FuzzInput& input) {
  const std::string value = bytes.c_str();  // as a C caller passes it: up to the first NUL
  const Answer answer = parse(value, now_ns);
  FUZZ_REQUIRE(parse(value, now_ns) == answer, "'%s' parsed twice differs", value.c_str());
  const Answer padded = parse(padding(input) + value + padding(input), now_ns);
  FUZZ_REQUIRE(padded == answer, "'%s' with spaces around: %d %" PRId64 ", without: %d %" PRId64, value.c_str(),
               padded.status, padded.wait_ns, answer.status, answer.wait_ns);

  const std::size_t begin = value.find_first_not_of(" \t");
  const std::size_t end = value.find_last_not_of(" \t");
  const std::string trimmed = begin == std::string::npos ? "" : value.substr(begin, end - begin + 1);
  if (!trimmed.empty() && trimmed.find_first_not_of("0123456789") == std::string::npos) {
    FUZZ_REQUIRE(answer.status == BACKOFF_OK && answer.wait_ns == delta_wait(trimmed),
                 "delta-seconds '%s': status %d, %" PRId64 " ns, %" PRId64 " expected", value.c_str(), answer.status,
                 answer.wait_ns, delta_wait(trimmed));
  }
  if (trimmed.empty() || trimmed[0] == '-' || trimmed[0] == '+') {
    FUZZ_REQUIRE(answer.status == BACKOFF_EINVAL, "'%s' accepted as %" PRId64 " ns", value.c_str(), answer.wait_ns);
  }
}

// ----- one instant written in every form -----

std::string imf_fixdate(const Instant& t, int day_name) {
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04" PRId64 " %02d:%02d:%02d GMT", kShortDays[day_name], t.day,
                kMonths[t.month - 1], t.year, t.hour, t.minute, t.second);
  return text;
}

std::string rfc850_date(const Instant& t, int day_name) {
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d-%s-%02d %02d:%02d:%02d GMT", kLongDays[day_name], t.day,
                kMonths[t.month - 1], static_cast<int>(t.year % 100), t.hour, t.minute, t.second);
  return text;
}

std::string asctime_date(const Instant& t, int day_name, bool padded_day) {
  char text[64];
  std::snprintf(text, sizeof text, padded_day ? "%s %s %2d %02d:%02d:%02d %04" PRId64 : "%s %s %02d %02d:%02d:%02d %04" PRId64,
                kShortDays[day_name], kMonths[t.month - 1], t.day, t.hour, t.minute, t.second, t.year);
  return text;
}

// A date written by a server: mostly the right weekday, now and then a wrong one (accepted, as documented).
struct Written {
  std::string text;
  bool rfc850;
};

Written write_date(FuzzInput& input, const Instant& t) {
  const int day_name = input.below(8) == 0 ? static_cast<int>(input.below(7)) : weekday(t);
  std::string text;
  const std::uint32_t form = input.below(3);
  switch (form) {
    case 0: text = imf_fixdate(t, day_name); break;
    case 1: text = rfc850_date(t, day_name); break;
    default: text = asctime_date(t, day_name, input.flag()); break;
  }
  return {padding(input) + any_case(input, text) + padding(input), form == 1};
}

// The instant of an RFC 850 date: its two-digit year stands for a year within 50 years of now (RFC 9110
// 5.6.7), in whichever century puts it there; exactly 50 is left to the parser, which may count in whole
// years or to the second.
bool rfc850_means(const Answer& answer, const Instant& t, std::int64_t this_year, std::int64_t now_ns) {
  for (std::int64_t year = this_year - 50; year <= this_year + 50; ++year) {
    if (floor_div(year, 100) * 100 + t.year % 100 != year) continue;  // other last two digits
    Instant candidate = t;
    candidate.year = year;
    if (candidate.day > month_length(candidate.year, candidate.month)) continue;  // 29 February elsewhere
    if (answer.status == BACKOFF_OK && same_wait(answer.wait_ns, exact_wait(unix_seconds(candidate), now_ns))) return true;
  }
  return false;
}

void check_date(const Written& date, const Instant& t, std::int64_t now_ns, std::int64_t expected) {
  const Answer answer = parse(date.text, now_ns);
  const std::int64_t this_year = year_of_days(floor_div(floor_div(now_ns, kNsPerSecond), kSecondsPerDay));
  if (!date.rfc850) {
    FUZZ_REQUIRE(answer.status == BACKOFF_OK && same_wait(answer.wait_ns, expected),
                 "'%s' at %" PRId64 ": status %d, %" PRId64 " ns; %" PRId64 " expected", date.text.c_str(), now_ns,
                 answer.status, answer.wait_ns, expected);
    return;
  }
  // Well inside the window the two-digit year can mean nothing else.
  if (t.year > this_year - 45 && t.year < this_year + 45) {
    FUZZ_REQUIRE(answer.status == BACKOFF_OK && same_wait(answer.wait_ns, expected),
                 "'%s' at %" PRId64 " (year %" PRId64 "): status %d, %" PRId64 " ns; %" PRId64 " expected",
                 date.text.c_str(), now_ns, this_year, answer.status, answer.wait_ns, expected);
  } else {
    FUZZ_REQUIRE(answer.status == BACKOFF_EINVAL || rfc850_means(answer, t, this_year, now_ns),
                 "'%s' at %" PRId64 " (year %" PRId64 "): %" PRId64 " ns is no year within 50 of now",
                 date.text.c_str(), now_ns, this_year, answer.wait_ns);
  }
}

// A delta of d seconds and the date d seconds after a whole-second now give one wait, saturated alike.
void check_delta_and_date(FuzzInput& input) {
  // A whole second, so that a whole number of seconds from now is a date; within the int64 range.
  const std::int64_t now_seconds = input.edgy_i64() / kNsPerSecond;
  const std::int64_t now_ns = now_seconds * kNsPerSecond;
  const std::int64_t first = days_to_year(0) * kSecondsPerDay;
  const std::int64_t last = days_to_year(10000) * kSecondsPerDay - 1;  // the 4-digit years
  std::int64_t delta;
  switch (input.below(4)) {
    case 0: delta = input.byte(); break;
    case 1: delta = static_cast<std::int64_t>(input.raw_u64() % 100'000'000'000ull); break;  // to year ~5000
    case 2: delta = kMaxNs / kNsPerSecond - 2 + input.below(5); break;  // where nanoseconds saturate
    default: delta = static_cast<std::int64_t>(input.raw_u64() % static_cast<std::uint64_t>(last - first));
  }
  const std::int64_t at = now_seconds + delta;
  if (at < first || at > last) return;
  const Instant t = instant_at(at);
  const Answer by_delta = parse(padding(input) + std::to_string(delta) + padding(input), now_ns);
  FUZZ_REQUIRE(by_delta.status == BACKOFF_OK && by_delta.wait_ns == exact_wait(at, now_ns),
               "delta %" PRId64 " s: status %d, %" PRId64 " ns", delta, by_delta.status, by_delta.wait_ns);
  for (int form = 0; form < 3; ++form) {
    const Written date = write_date(input, t);
    check_date(date, t, now_ns, by_delta.wait_ns);
  }
}

// Any date of a 4-digit year at any now, fraction of a second included, in every form.
void check_any_date(FuzzInput& input) {
  const std::int64_t now_ns = input.edgy_i64();
  Instant t{static_cast<std::int64_t>(input.raw_u64() % 10000), 1 + static_cast<int>(input.below(12)), 1, 0, 0, 0};
  if (input.flag()) t.year = year_of_days(floor_div(floor_div(now_ns, kNsPerSecond), kSecondsPerDay)) - 60 + input.below(120);
  if (t.year < 0 || t.year > 9999) return;
  t.day = 1 + static_cast<int>(input.below(static_cast<std::uint32_t>(month_length(t.year, t.month))));
  t.hour = static_cast<int>(input.below(24));
  t.minute = static_cast<int>(input.below(60));
  t.second = static_cast<int>(input.below(61));  // 60: a leap second
  const std::int64_t expected = exact_wait(unix_seconds(t), now_ns);
  for (std::uint32_t forms = 1 + input.below(3); forms != 0; --forms) check_date(write_date(input, t), t, now_ns, expected);

  // One field pushed out of its range makes the date invalid, in every form.
  Instant bad = t;
  switch (input.below(5)) {
    case 0: bad.day = month_length(t.year, t.month) + 1 + static_cast<int>(input.below(static_cast<std::uint32_t>(31 - month_length(t.year, t.month) + 1))); break;
    case 1: bad.day = 0; break;
    case 2: bad.hour = 24 + static_cast<int>(input.below(76)); break;
    case 3: bad.minute = 60 + static_cast<int>(input.below(40)); break;
    default: bad.second = 61 + static_cast<int>(input.below(39)); break;
  }
  const Written date = write_date(input, bad);
  const Answer answer = parse(date.text, now_ns);
  // An RFC 850 year names a year in another century too: 29-Feb-00 is out of range in 1900, not in 2000.
  const std::int64_t this_year = year_of_days(floor_div(floor_div(now_ns, kNsPerSecond), kSecondsPerDay));
  if (date.rfc850 && rfc850_means(answer, bad, this_year, now_ns)) return;
  FUZZ_REQUIRE(answer.status == BACKOFF_EINVAL, "'%s' (a field out of range) gave %" PRId64 " ns", date.text.c_str(),
               answer.wait_ns);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput input(data, size);
  switch (input.below(4)) {
    case 0: check_delta_and_date(input); break;
    case 1: check_any_date(input); break;
    default: {
      const std::int64_t now_ns = input.edgy_i64();
      const std::string bytes = input.text();
      check_raw(bytes, now_ns, input);
      break;
    }
  }
  return 0;
}
