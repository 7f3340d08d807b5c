#include "backoff/retry_after.hpp"

#include <cstddef>

#include "backoff/saturating.hpp"

namespace backoff {
namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
// The most whole seconds that still fit in int64 nanoseconds.
constexpr std::int64_t kMaxSeconds = kMaxNs / kNsPerSecond;

constexpr std::string_view kShortWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::string_view kLongWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                              "Friday", "Saturday", "Sunday"};
constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct CivilTime {
  std::int64_t year = 0;
  int month = 0;  // 1..12
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads the grammar of RFC 9110's HTTP-date left to right; every method consumes input only on success,
// and a parse is one pass that ends with done().
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool done() const { return pos_ == text_.size(); }

  bool literal(char c) {
    if (pos_ == text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool word(std::string_view expected) {
    if (text_.size() - pos_ < expected.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (lower(text_[pos_ + i]) != lower(expected[i])) return false;
    }
    pos_ += expected.size();
    return true;
  }

  // One of `names`; writes its index unless `index` is nullptr. A name must not run on into further letters
  // ("Sunday" is not "Sun").
  template <std::size_t N>
  bool one_of(const std::string_view (&names)[N], int* index = nullptr) {
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t start = pos_;
      if (!word(names[i])) continue;
      if (pos_ < text_.size() && lower(text_[pos_]) >= 'a' && lower(text_[pos_]) <= 'z') {
        pos_ = start;
        continue;
      }
      if (index != nullptr) *index = static_cast<int>(i);
      return true;
    }
    return false;
  }

  // Exactly `count` digits (at most 4, so no overflow).
  bool digits(int count, int* out) {
    if (text_.size() - pos_ < static_cast<std::size_t>(count)) return false;
    int value = 0;
    for (int i = 0; i < count; ++i) {
      const char c = text_[pos_ + static_cast<std::size_t>(i)];
      if (!is_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    pos_ += static_cast<std::size_t>(count);
    *out = value;
    return true;
  }

  // time-of-day = hour ":" minute ":" second
  bool time_of_day(CivilTime* t) {
    return digits(2, &t->hour) && literal(':') && digits(2, &t->minute) && literal(':') && digits(2, &t->second);
  }

  // A year of exactly `count` digits.
  bool year(int count, CivilTime* t) {
    int value = 0;
    if (!digits(count, &value)) return false;
    t->year = value;
    return true;
  }

  bool month(CivilTime* t) {
    int index = 0;
    if (!one_of(kMonths, &index)) return false;
    t->month = index + 1;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

bool is_leap(std::int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int days_in_month(std::int64_t year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, std::int64_t month, std::int64_t day) {
  year -= month <= 2;
  const std::int64_t era = floor_div(year, 400);
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + day_of_era - 719'468;
}

// The Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's civil_from_days).
CivilTime civil_from_days(std::int64_t days) {
  const std::int64_t shifted = days + 719'468;
  const std::int64_t era = floor_div(shifted, 146'097);
  const std::int64_t day_of_era = shifted - era * 146'097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;  // 0 = March
  CivilTime date;
  date.day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  date.month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  date.year = era * 400 + year_of_era + (date.month <= 2);
  return date;
}

// Orders two calendar times of the same calendar: by year, then month, day, hour, minute, second.
bool later_than(const CivilTime& a, const CivilTime& b) {
  const std::int64_t ka[] = {a.year, a.month, a.day, a.hour, a.minute, a.second};
  const std::int64_t kb[] = {b.year, b.month, b.day, b.hour, b.minute, b.second};
  for (int i = 0; i < 6; ++i) {
    if (ka[i] != kb[i]) return ka[i] > kb[i];
  }
  return false;
}

// RFC 9110 5.6.7: a two-digit year that "appears to be more than 50 years in the future" is the most recent
// past year with the same last two digits. The comparison is of whole timestamps, not of years: at noon on
// 2026-06-01, "01-Jan-76" is 2076 (49.6 years ahead) but "31-Dec-76" is 1976 (2076-12-31 is 50.6 years
// ahead). `t` holds the parsed date and time of day; `now` the current time, with 50 already added to its
// year, so "more than 50 years ahead" is "later than `now`" field by field.
void expand_two_digit_year(int two_digits, const CivilTime& now_plus_50, CivilTime* t) {
  std::int64_t ahead = (two_digits - now_plus_50.year) % 100;
  if (ahead < 0) ahead += 100;
  // The latest year with these digits that is at most now + 50 years, then a century back if the date
  // itself, within that year, falls after now + 50 years.
  t->year = now_plus_50.year + ahead - (ahead == 0 ? 0 : 100);
  if (later_than(*t, now_plus_50)) t->year -= 100;
}

// IMF-fixdate = day-name "," SP day SP month SP year SP time-of-day SP "GMT"
bool parse_imf_fixdate(std::string_view text, CivilTime* t) {
  Scanner in(text);
  return in.one_of(kShortWeekdays) && in.word(", ") && in.digits(2, &t->day) && in.literal(' ') && in.month(t) &&
         in.literal(' ') && in.year(4, t) && in.literal(' ') && in.time_of_day(t) && in.word(" GMT") && in.done();
}

// rfc850-date = day-name-l "," SP day "-" month "-" 2DIGIT SP time-of-day SP "GMT"
bool parse_rfc850_date(std::string_view text, const CivilTime& now_plus_50, CivilTime* t) {
  Scanner in(text);
  int two_digits = 0;
  const bool parsed = in.one_of(kLongWeekdays) && in.word(", ") && in.digits(2, &t->day) && in.literal('-') &&
                      in.month(t) && in.literal('-') && in.digits(2, &two_digits) && in.literal(' ') &&
                      in.time_of_day(t) && in.word(" GMT") && in.done();
  if (parsed) expand_two_digit_year(two_digits, now_plus_50, t);
  return parsed;
}

// asctime-date = day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time-of-day SP year
bool parse_asctime_date(std::string_view text, CivilTime* t) {
  Scanner in(text);
  return in.one_of(kShortWeekdays) && in.literal(' ') && in.month(t) && in.literal(' ') &&
         ((in.literal(' ') && in.digits(1, &t->day)) || in.digits(2, &t->day)) && in.literal(' ') &&
         in.time_of_day(t) && in.literal(' ') && in.year(4, t) && in.done();
}

// The calendar time 50 years after `now_unix_ns`, for reading two-digit years. February 29th of a year
// whose +50 is no leap year stays the 29th: it only compares, and sorts between the 28th and March 1st.
CivilTime now_plus_50_years(std::int64_t now_unix_ns) {
  const std::int64_t now_seconds = floor_div(now_unix_ns, kNsPerSecond);
  const std::int64_t day = floor_div(now_seconds, kSecondsPerDay);
  const std::int64_t second_of_day = now_seconds - day * kSecondsPerDay;
  CivilTime now = civil_from_days(day);
  now.year += 50;
  now.hour = static_cast<int>(second_of_day / 3600);
  now.minute = static_cast<int>(second_of_day / 60 % 60);
  now.second = static_cast<int>(second_of_day % 60);
  return now;
}

bool in_range(const CivilTime& t) {
  // Second 60 is a leap second (RFC 5322 3.3); it reads as the first second of the next minute.
  return t.day >= 1 && t.day <= days_in_month(t.year, t.month) && t.hour <= 23 && t.minute <= 59 &&
         t.second <= 60;
}

// The time from now until `unix_seconds`: 0 if it has passed, saturated if it is too far to represent.
std::int64_t wait_until(std::int64_t unix_seconds, std::int64_t now_unix_ns) {
  const std::int64_t now_seconds = floor_div(now_unix_ns, kNsPerSecond);
  // The fraction as a floored remainder: now_seconds * kNsPerSecond itself overflows near INT64_MIN.
  const std::int64_t remainder = now_unix_ns % kNsPerSecond;
  const std::int64_t now_fraction_ns = remainder < 0 ? remainder + kNsPerSecond : remainder;  // in [0, 1 s)
  // No overflow: a 4-digit year is within 2.6e11 s of 1970, and int64 ns within 9.3e9 s.
  const std::int64_t whole_seconds = unix_seconds - now_seconds;
  if (whole_seconds <= 0) return 0;
  if (whole_seconds > kMaxSeconds) return kMaxNs;
  return whole_seconds * kNsPerSecond - now_fraction_ns;
}

std::optional<std::int64_t> parse_http_date(std::string_view text, std::int64_t now_unix_ns) {
  CivilTime t;
  const bool parsed = parse_imf_fixdate(text, &t) || parse_rfc850_date(text, now_plus_50_years(now_unix_ns), &t) ||
                      parse_asctime_date(text, &t);
  if (!parsed || !in_range(t)) return std::nullopt;
  const std::int64_t unix_seconds =
      days_from_civil(t.year, t.month, t.day) * kSecondsPerDay + t.hour * 3600 + t.minute * 60 + t.second;
  return wait_until(unix_seconds, now_unix_ns);
}

// delta-seconds = 1*DIGIT, of any length: values past the int64 range saturate.
std::optional<std::int64_t> parse_delta_seconds(std::string_view text) {
  std::int64_t seconds = 0;
  for (const char c : text) {
    if (!is_digit(c)) return std::nullopt;
    if (seconds <= kMaxSeconds) seconds = seconds * 10 + (c - '0');  // stops growing once past the range
  }
  return seconds > kMaxSeconds ? kMaxNs : seconds * kNsPerSecond;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<Duration> parse_retry_after(std::string_view value, std::int64_t now_unix_ns) noexcept {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  const std::optional<std::int64_t> wait_ns =
      is_digit(value.front()) ? parse_delta_seconds(value) : parse_http_date(value, now_unix_ns);
  if (!wait_ns) return std::nullopt;
  return nanoseconds(*wait_ns);
}

}  // namespace backoff
