// Config: defaults, the typed setters, set_text, parse_duration, and every bad input rejected with the
// right status and a message naming the parameter and the value.
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "backoff/config.hpp"
#include "backoff/policy.hpp"
#include "backoff/status.hpp"
#include "test_time.hpp"

using backoff_test::kMax;
using backoff_test::kMs;
using backoff_test::kSecond;
using backoff::Config;
using backoff::Param;
using backoff::Status;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// `action` must throw backoff::Error with `status` and a message that contains every one of `parts`.
template <typename Action>
void require_rejected(Action action, Status status, std::initializer_list<std::string> parts) {
  try {
    action();
  } catch (const backoff::Error& error) {
    INFO("message: " << error.what());
    CHECK(static_cast<int>(error.status()) == static_cast<int>(status));
    for (const std::string& part : parts) CHECK_THAT(error.what(), Catch::Contains(part));
    return;
  }
  FAIL("no backoff::Error was thrown");
}

std::int64_t duration(const char* text) { return backoff::parse_duration(text, "initial"); }

}  // namespace

TEST_CASE("a new config holds the documented defaults", "[config]") {
  const Config config;
  CHECK(config.kind == backoff::Kind::exponential);
  CHECK(config.initial_ns == 100 * kMs);
  CHECK(config.multiplier == 2.0);
  CHECK(config.increment_ns == 0);
  CHECK(config.jitter == backoff::Jitter::full);
  CHECK(config.randomization_factor == 0.5);
  CHECK(config.max_attempts == 0);
  CHECK(config.max_elapsed_ns == 0);
  CHECK_FALSE(config.seeded);
  CHECK(backoff::Policy(config).cap_ns() == 60 * kSecond);
}

TEST_CASE("an unset cap is raised to the initial delay, a set one is kept", "[config]") {
  Config config;
  config.set_i64(Param::initial, 120 * kSecond);
  CHECK(backoff::Policy(config).cap_ns() == 120 * kSecond);
  config.set_i64(Param::initial, 1 * kSecond);
  config.set_i64(Param::cap, 2 * kSecond);
  CHECK(backoff::Policy(config).cap_ns() == 2 * kSecond);
}

TEST_CASE("typed setters store their values", "[config]") {
  Config config;
  config.set_i64(Param::kind, 1);
  config.set_i64(Param::initial, 7);
  config.set_i64(Param::increment, 8);
  config.set_i64(Param::cap, kMax);
  config.set_i64(Param::jitter, 2);
  config.set_i64(Param::max_attempts, 9);
  config.set_i64(Param::max_elapsed, 10);
  config.set_f64(Param::multiplier, 1.25);
  config.set_f64(Param::randomization_factor, 1.0);
  config.set_u64(Param::seed, UINT64_MAX);
  CHECK(config.kind == backoff::Kind::linear);
  CHECK(config.initial_ns == 7);
  CHECK(config.increment_ns == 8);
  CHECK(config.cap_ns == kMax);
  CHECK(config.jitter == backoff::Jitter::equal);
  CHECK(config.max_attempts == 9);
  CHECK(config.max_elapsed_ns == 10);
  CHECK(config.multiplier == 1.25);
  CHECK(config.randomization_factor == 1.0);
  CHECK(config.seeded);
  CHECK(config.seed == UINT64_MAX);
}

TEST_CASE("set_text reads every parameter by its name", "[config]") {
  Config config;
  config.set_text("kind", "decorrelated");
  config.set_text("initial", "250ms");
  config.set_text("multiplier", "3");
  config.set_text("increment", "1.5s");
  config.set_text("cap", "2m");
  config.set_text("jitter", "randomization");
  config.set_text("randomization_factor", "0.25");
  config.set_text("max_attempts", "42");
  config.set_text("max_elapsed", "1h");
  config.set_text("seed", "18446744073709551615");
  CHECK(config.kind == backoff::Kind::decorrelated);
  CHECK(config.initial_ns == 250 * kMs);
  CHECK(config.multiplier == 3.0);
  CHECK(config.increment_ns == 1500 * kMs);
  CHECK(config.cap_ns == 120 * kSecond);
  CHECK(config.jitter == backoff::Jitter::randomization);
  CHECK(config.randomization_factor == 0.25);
  CHECK(config.max_attempts == 42);
  CHECK(config.max_elapsed_ns == 3600 * kSecond);
  CHECK(config.seed == UINT64_MAX);
}

TEST_CASE("every parameter name and id round-trips", "[config]") {
  const char* const names[] = {"kind", "initial", "multiplier", "increment", "cap", "jitter",
                               "randomization_factor", "max_attempts", "max_elapsed", "seed", "deadline",
                               "stop_when"};
  REQUIRE(backoff::kParamCount == 12);
  for (int id = 0; id < backoff::kParamCount; ++id) {
    CAPTURE(id);
    CHECK(backoff::param_name(backoff::param_from_id<backoff::Param>(id)) == std::string(names[id]));
    CHECK(static_cast<int>(backoff::param_from_name<backoff::Param>(names[id])) == id);
  }
  CHECK(backoff::param_type(Param::initial) == backoff::ParamType::duration);
  CHECK(backoff::param_type(Param::max_attempts) == backoff::ParamType::count);
  CHECK(backoff::param_type(Param::jitter) == backoff::ParamType::choice);
  CHECK(backoff::param_type(Param::multiplier) == backoff::ParamType::real);
  CHECK(backoff::param_type(Param::seed) == backoff::ParamType::seed);
}

TEST_CASE("parse_duration reads every unit", "[config][duration]") {
  CHECK(duration("0") == 0);
  CHECK(duration("10ns") == 10);
  CHECK(duration("100us") == 100'000);
  CHECK(duration("250ms") == 250 * kMs);
  CHECK(duration("1.5s") == 1500 * kMs);
  CHECK(duration("2m") == 120 * kSecond);
  CHECK(duration("1h") == 3600 * kSecond);
  CHECK(duration("0.5ns") == 1);  // halves round away from zero
  CHECK(duration("1.4ns") == 1);
  CHECK(duration("0s") == 0);
  CHECK(duration("0.000ms") == 0);
  CHECK(duration("1e3ms") == 1000 * kMs);
  CHECK(duration("2.5e-3s") == 2500'000);
}

TEST_CASE("parse_duration reads decimal digits: leading zeros are not octal", "[config][duration]") {
  CHECK(duration("010ms") == 10 * kMs);
  CHECK(duration("08s") == 8 * kSecond);
  CHECK(duration("0010.50ms") == 10'500'000);
}

TEST_CASE("parse_duration converts fractions exactly, up to INT64_MAX", "[config][duration]") {
  CHECK(duration("9223372036.854775807s") == kMax);
  CHECK(duration("9223372036854.775807ms") == kMax);
  CHECK(duration("0.000000001s") == 1);
  CHECK(duration("1.0000000015s") == 1'000'000'002);  // the half nanosecond rounds up, no double rounds it
  CHECK(duration("2562047.5h") == 9'223'371'000'000'000'000);  // hours are 36 * 10^11 ns: exact too
  CHECK(duration("1.5m") == 90 * kSecond);
  require_rejected([] { duration("9223372036.8547758075s"); }, Status::invalid_value, {"initial", "INT64_MAX"});
  require_rejected([] { duration("9223372036.854775808s"); }, Status::invalid_value, {"initial", "INT64_MAX"});
}

TEST_CASE("any nanosecond count written as decimal seconds or milliseconds reads back exactly",
          "[config][duration]") {
  std::mt19937_64 random(20261206);
  for (int i = 0; i < 10000; ++i) {
    const std::int64_t ns = static_cast<std::int64_t>(random() >> (1 + random() % 63));  // every magnitude
    CAPTURE(ns);
    char seconds[40], millis[40];
    std::snprintf(seconds, sizeof seconds, "%lld.%09llds", static_cast<long long>(ns / kSecond),
                  static_cast<long long>(ns % kSecond));
    std::snprintf(millis, sizeof millis, "%lld.%06lldms", static_cast<long long>(ns / kMs),
                  static_cast<long long>(ns % kMs));
    CHECK(duration(seconds) == ns);
    CHECK(duration(millis) == ns);
  }
}

TEST_CASE("parse_duration rejects a positive value that rounds to 0 ns, which would read as none",
          "[config][duration]") {
  for (const char* text : {"0.4ns", "0.1ns", "0.0000000001s", "1e-10s"}) {
    CAPTURE(text);
    require_rejected([&] { backoff::parse_duration(text, "max_elapsed"); }, Status::invalid_value,
                     {"max_elapsed", "shorter than 1 ns", text});
  }
}

TEST_CASE("parse_duration rejects leading and trailing spaces alike", "[config][duration]") {
  for (const char* text : {" 5s", "5s ", "\t5s", "5s\n", " 5s ", "5 s"}) {
    CAPTURE(text);
    require_rejected([&] { backoff::parse_duration(text, "cap"); }, Status::invalid_value, {"cap"});
  }
}

TEST_CASE("parse_duration reads whole numbers exactly, up to INT64_MAX", "[config][duration]") {
  CHECK(duration("9223372036854775807ns") == kMax);
  CHECK(duration("9007199254740993ns") == 9007199254740993);  // 2^53 + 1: no double holds it
  CHECK(duration("2562047h") == std::int64_t{2562047} * 3600 * kSecond);
  CHECK(duration("9223372036s") == 9223372036 * kSecond);
}

TEST_CASE("parse_duration rejects text without a unit, that does not parse, or out of range",
          "[config][duration]") {
  const char* const bad_values[] = {"5", "", "ms", "-1s", "-0.5ms", "1.5.2s", "abcms", "5 s", "5sec",
                                    "nanms", "infms", "1e400s", "9223372036854775808ns", "2562048h",
                                    "99999999999999999999999s", "9223372037s", "0x10s", "+5s", "1e5e5s",
                                    ".s", "1es", "1e+s"};
  for (const char* text : bad_values) {
    CAPTURE(text);
    require_rejected([&] { backoff::parse_duration(text, "cap"); }, Status::invalid_value, {"cap"});
  }
  require_rejected([] { duration("5"); }, Status::invalid_value, {"initial", "unit", "'5'"});
  require_rejected([] { duration("-1s"); }, Status::invalid_value, {"initial", "negative", "-1"});
  require_rejected([] { duration("nanms"); }, Status::invalid_value, {"initial", "decimal", "'nanms'"});
  require_rejected([] { duration("2562048h"); }, Status::invalid_value, {"initial", "INT64_MAX", "2562048h"});
}

TEST_CASE("ns_from_seconds converts and rejects NaN, infinities, negatives and overflow", "[config][duration]") {
  CHECK(backoff::ns_from_seconds(0.25, "cap") == 250 * kMs);
  CHECK(backoff::ns_from_seconds(1e-9, "cap") == 1);
  CHECK(backoff::ns_from_seconds(9223372036.0, "cap") == 9223372036 * kSecond);
  require_rejected([] { backoff::ns_from_seconds(kNaN, "cap"); }, Status::invalid_value, {"cap", "NaN"});
  require_rejected([] { backoff::ns_from_seconds(kInf, "cap"); }, Status::invalid_value, {"cap", "inf"});
  require_rejected([] { backoff::ns_from_seconds(-kInf, "cap"); }, Status::invalid_value, {"cap", "-inf"});
  require_rejected([] { backoff::ns_from_seconds(-0.5, "cap"); }, Status::invalid_value, {"cap", "-0.5"});
  require_rejected([] { backoff::ns_from_seconds(9223372037.0, "cap"); }, Status::invalid_value,
                   {"cap", "9223372037"});
}

TEST_CASE("real parameters reject NaN, infinities and values outside their domain", "[config][errors]") {
  Config config;
  struct Bad {
    Param param;
    double value;
    const char* shown;
  };
  const Bad bad_values[] = {
      {Param::multiplier, kNaN, "NaN"},     {Param::multiplier, kInf, "inf"},
      {Param::multiplier, -kInf, "-inf"},   {Param::multiplier, 0.5, "0.5"},
      {Param::multiplier, 0.0, "0"},        {Param::multiplier, -2.0, "-2"},
      {Param::multiplier, std::nextafter(1.0, 0.0), "0.99999999999999989"},
      {Param::randomization_factor, kNaN, "NaN"}, {Param::randomization_factor, kInf, "inf"},
      {Param::randomization_factor, -kInf, "-inf"}, {Param::randomization_factor, -0.25, "-0.25"},
      {Param::randomization_factor, std::nextafter(1.0, 2.0), "1.0000000000000002"},
  };
  for (const Bad& bad : bad_values) {
    CAPTURE(backoff::param_name(bad.param), bad.value);
    require_rejected([&] { config.set_f64(bad.param, bad.value); }, Status::invalid_value,
                     {backoff::param_name(bad.param), bad.shown});
  }
  CHECK(config.multiplier == 2.0);  // a rejected value leaves the config as it was
  CHECK(config.randomization_factor == 0.5);
  config.set_f64(Param::multiplier, 1.0);
  config.set_f64(Param::randomization_factor, 0.0);
  config.set_f64(Param::multiplier, 1e300);
  config.set_f64(Param::randomization_factor, 1.0);
  CHECK(config.multiplier == 1e300);
}

TEST_CASE("integer parameters reject negative values", "[config][errors]") {
  Config config;
  for (Param param : {Param::kind, Param::initial, Param::increment, Param::cap, Param::jitter,
                      Param::max_attempts, Param::max_elapsed}) {
    CAPTURE(backoff::param_name(param));
    require_rejected([&] { config.set_i64(param, -1); }, Status::invalid_value, {backoff::param_name(param), "-1"});
    require_rejected([&] { config.set_i64(param, std::numeric_limits<std::int64_t>::min()); },
                     Status::invalid_value, {backoff::param_name(param), "-9223372036854775808"});
  }
  CHECK(config.initial_ns == 100 * kMs);
}

TEST_CASE("unknown enum values are rejected as unknown", "[config][errors]") {
  Config config;
  // Far past the last value, so that a kind or jitter mode added to the vocabulary keeps these unknown.
  require_rejected([&] { config.set_i64(Param::kind, 1000); }, Status::unknown_name, {"kind", "1000"});
  require_rejected([&] { config.set_i64(Param::jitter, 1000); }, Status::unknown_name, {"jitter", "1000"});
  require_rejected([&] { config.set_i64(Param::kind, kMax); }, Status::unknown_name,
                   {"kind", "9223372036854775807"});
  require_rejected([&] { config.set_text("kind", "exponentail"); }, Status::unknown_name,
                   {"kind", "exponentail", "exponential"});
  require_rejected([&] { config.set_text("jitter", "FULL"); }, Status::unknown_name, {"jitter", "FULL"});
  require_rejected([&] { config.set_text("jitter", ""); }, Status::unknown_name, {"jitter"});
  CHECK(config.kind == backoff::Kind::exponential);
  CHECK(config.jitter == backoff::Jitter::full);
}

TEST_CASE("unknown parameter names and ids are rejected naming them", "[config][errors]") {
  Config config;
  require_rejected([&] { config.set_text("multiplyer", "2"); }, Status::unknown_name, {"multiplyer"});
  require_rejected([&] { config.set_text("", "2"); }, Status::unknown_name, {"param"});
  require_rejected([] { backoff::param_from_name<backoff::Param>("Initial"); }, Status::unknown_name, {"Initial"});
  require_rejected([] { backoff::param_from_id<backoff::Param>(12); }, Status::unknown_name, {"12"});
  require_rejected([] { backoff::param_from_id<backoff::Param>(-1); }, Status::unknown_name, {"-1"});
}

TEST_CASE("a parameter set through the setter of another type is rejected", "[config][errors]") {
  Config config;
  require_rejected([&] { config.set_f64(Param::initial, 1.0); }, Status::wrong_type, {"initial"});
  require_rejected([&] { config.set_f64(Param::kind, 1.0); }, Status::wrong_type, {"kind"});
  require_rejected([&] { config.set_f64(Param::seed, 1.0); }, Status::wrong_type, {"seed"});
  require_rejected([&] { config.set_i64(Param::multiplier, 2); }, Status::wrong_type, {"multiplier"});
  require_rejected([&] { config.set_i64(Param::seed, 2); }, Status::wrong_type, {"seed"});
  require_rejected([&] { config.set_u64(Param::cap, 2); }, Status::wrong_type, {"cap"});
  require_rejected([&] { config.set_u64(Param::randomization_factor, 2); }, Status::wrong_type,
                   {"randomization_factor"});
  CHECK_FALSE(config.seeded);
}

TEST_CASE("set_text rejects numbers that do not parse or do not fit", "[config][errors]") {
  Config config;
  struct Bad {
    const char* name;
    const char* text;
  };
  const Bad bad_values[] = {
      {"max_attempts", "-3"}, {"max_attempts", "3.5"}, {"max_attempts", ""}, {"max_attempts", "three"},
      {"max_attempts", "99999999999999999999"}, {"max_attempts", "9223372036854775808"},
      {"seed", "-1"}, {"seed", "18446744073709551616"}, {"seed", "0x"}, {"seed", "1 2"},
      {"multiplier", "two"}, {"multiplier", ""}, {"multiplier", "nan"}, {"multiplier", "inf"},
      {"multiplier", "0.5"}, {"randomization_factor", "1.5"}, {"randomization_factor", "-0.5"},
      {"initial", "-5ms"}, {"cap", "5"},
  };
  for (const Bad& bad : bad_values) {
    CAPTURE(bad.name, bad.text);
    require_rejected([&] { config.set_text(bad.name, bad.text); }, Status::invalid_value, {bad.name});
  }
  require_rejected([&] { config.set_text("max_attempts", "3.5"); }, Status::invalid_value,
                   {"max_attempts", "'3.5'"});
  require_rejected([&] { config.set_text("multiplier", "0.5"); }, Status::invalid_value, {"multiplier", "0.5"});
  CHECK(config.max_attempts == 0);
  CHECK_FALSE(config.seeded);
}

TEST_CASE("set_text reads counts in decimal and seeds in decimal or hex, never octal", "[config]") {
  struct Read {
    const char* name;
    const char* text;
    std::uint64_t value;
  };
  const Read reads[] = {
      {"max_attempts", "010", 10}, {"max_attempts", "08", 8}, {"max_attempts", "9223372036854775807", kMax},
      {"seed", "0x2a", 42},        {"seed", "010", 10},       {"seed", "0XFFFFFFFFFFFFFFFF", UINT64_MAX},
  };
  for (const Read& read : reads) {
    CAPTURE(read.name, read.text);
    Config config;
    config.set_text(read.name, read.text);
    CHECK((std::string(read.name) == "seed" ? config.seed : static_cast<std::uint64_t>(config.max_attempts)) ==
          read.value);
  }
  // Hex is the seed's only: a count refuses it and keeps its value.
  Config config;
  require_rejected([&] { config.set_text("max_attempts", "0x2a"); }, Status::invalid_value,
                   {"max_attempts", "non-negative integer", "'0x2a'"});
  CHECK(config.max_attempts == 0);
}

TEST_CASE("set_text rejects leading and trailing spaces alike, in every number", "[config][errors]") {
  Config config;
  struct Padded {
    const char* name;
    const char* text;
  };
  const Padded padded[] = {{"max_attempts", " 3"}, {"max_attempts", "3 "}, {"seed", " 7"}, {"seed", "7\t"},
                           {"multiplier", " 2"},   {"multiplier", "2 "},   {"initial", " 1s"}, {"initial", "1s "},
                           {"max_attempts", "+3"}, {"multiplier", "0x2"}};
  for (const Padded& bad : padded) {
    CAPTURE(bad.name, bad.text);
    require_rejected([&] { config.set_text(bad.name, bad.text); }, Status::invalid_value, {bad.name});
  }
  CHECK(config.max_attempts == 0);
  CHECK(config.multiplier == 2.0);
  CHECK_FALSE(config.seeded);
}

TEST_CASE("a policy rejects a cap below the initial delay, naming both", "[config][errors]") {
  Config config;
  config.set_i64(Param::initial, 10);
  config.set_i64(Param::cap, 5);
  require_rejected([&] { backoff::Policy policy(config); }, Status::invalid_value, {"cap", "5", "initial", "10"});
  config.set_i64(Param::cap, 10);
  CHECK(backoff::Policy(config).cap_ns() == 10);
}

TEST_CASE("a policy rejects initial 0 where growth multiplies it, and allows it elsewhere", "[config][errors]") {
  Config config;
  config.set_i64(Param::initial, 0);
  require_rejected([&] { backoff::Policy policy(config); }, Status::invalid_value, {"initial", "exponential", "0"});
  config.set_text("kind", "decorrelated");
  require_rejected([&] { backoff::Policy policy(config); }, Status::invalid_value, {"initial", "decorrelated"});
  config.set_text("kind", "constant");
  CHECK(backoff::Policy(config).delay(0, 0).ns() == 0);
  config.set_text("kind", "linear");
  CHECK(backoff::Policy(config).delay(0, 0).ns() == 0);
}
