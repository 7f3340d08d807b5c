#include "fuzz_config_steps.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

#include "fuzz_check.hpp"

namespace backoff_fuzz {
namespace {

// The parameter table of backoff.h, written out here so that the library is checked against its
// documentation rather than against itself.
struct DocumentedParam {
  const char* name;
  int type;
};
constexpr DocumentedParam kParams[] = {
    {"kind", BACKOFF_TYPE_CHOICE},       {"initial", BACKOFF_TYPE_DURATION},
    {"multiplier", BACKOFF_TYPE_REAL},   {"increment", BACKOFF_TYPE_DURATION},
    {"cap", BACKOFF_TYPE_DURATION},      {"jitter", BACKOFF_TYPE_CHOICE},
    {"randomization_factor", BACKOFF_TYPE_REAL}, {"max_attempts", BACKOFF_TYPE_COUNT},
    {"max_elapsed", BACKOFF_TYPE_DURATION}, {"seed", BACKOFF_TYPE_SEED},
    {"deadline", BACKOFF_TYPE_DURATION}, {"stop_when", BACKOFF_TYPE_CHOICE},
};
constexpr int kParamCount = sizeof kParams / sizeof kParams[0];
// The names of a choice parameter's values, asked of the library: value n has the n-th name. One value
// past the last has none (nullptr), which the steps use as an unknown name.
int choice_family(int param) {
  return param == BACKOFF_PARAM_KIND ? BACKOFF_ENUM_KIND : param == BACKOFF_PARAM_JITTER ? BACKOFF_ENUM_JITTER
                                                                                         : BACKOFF_ENUM_STOP_WHEN;
}

bool takes_i64(int type) {
  return type == BACKOFF_TYPE_DURATION || type == BACKOFF_TYPE_COUNT || type == BACKOFF_TYPE_CHOICE;
}

// Mostly the ten real ids; sometimes their unknown neighbours or any int at all.
int read_param_id(FuzzInput& input) {
  const std::uint8_t selector = input.byte();
  if (selector < 224) return selector % (kParamCount + 2);
  return static_cast<int>(static_cast<std::uint32_t>(input.raw_u64()));
}

// Text for a set_text step: usually something close to valid, so the parser's deeper paths are reached.
std::string read_value_text(FuzzInput& input) {
  static constexpr const char* kSuffixes[] = {"ns", "us", "ms", "s", "m", "h", "", "x"};
  char buffer[64];
  switch (input.below(4)) {
    case 0:
      std::snprintf(buffer, sizeof buffer, "%.*g%s", input.below(20), input.edgy_f64(),
                    kSuffixes[input.below(8)]);
      return buffer;
    case 1:
      std::snprintf(buffer, sizeof buffer, "%" PRIu64 "%s", input.edgy_u64(), kSuffixes[input.below(8)]);
      return buffer;
    case 2: {
      static constexpr int kFamilies[] = {BACKOFF_ENUM_KIND, BACKOFF_ENUM_JITTER, BACKOFF_ENUM_STOP_WHEN};
      const char* name = backoff_name_of(kFamilies[input.below(3)], input.below(5));
      return name != nullptr ? name : "unnamed";
    }
    default: return input.text();
  }
}

// A duration as a person writes it: in the largest unit that divides it exactly ("90s", "250ms").
std::string duration_text(std::int64_t ns) {
  struct Unit {
    const char* suffix;
    std::int64_t ns;
  };
  static constexpr Unit kUnits[] = {{"h", 3'600'000'000'000}, {"m", 60'000'000'000}, {"s", 1'000'000'000},
                                    {"ms", 1'000'000},        {"us", 1'000},          {"ns", 1}};
  if (ns == 0) return "0";
  for (const Unit& unit : kUnits) {
    if (ns > 0 && ns % unit.ns == 0) return std::to_string(ns / unit.ns) + unit.suffix;
  }
  return std::to_string(ns) + "ns";  // negative: rejected either way
}

std::string choice_text(int param, std::int64_t value) {
  const char* name = value >= 0 && value < 64 ? backoff_name_of(choice_family(param), static_cast<int>(value)) : nullptr;
  return name != nullptr ? name : std::to_string(value);  // no name: rejected either way
}

std::string typed_value_text(const ConfigStep& step, int type) {
  char buffer[40];
  switch (type) {
    case BACKOFF_TYPE_DURATION: return duration_text(step.i64);
    case BACKOFF_TYPE_CHOICE: return choice_text(step.param, step.i64);
    case BACKOFF_TYPE_COUNT: return std::to_string(step.i64);
    case BACKOFF_TYPE_REAL:
      std::snprintf(buffer, sizeof buffer, "%.17g", step.f64);  // 17 digits read back to the same double
      return buffer;
    default:
      std::snprintf(buffer, sizeof buffer, step.u64 % 2 ? "0x%" PRIx64 : "%" PRIu64, step.u64);
      return buffer;
  }
}

}  // namespace

int documented_param_type(int param) { return param >= 0 && param < kParamCount ? kParams[param].type : -1; }

ConfigStep read_config_step(FuzzInput& input) {
  ConfigStep step;
  switch (input.below(8)) {
    case 0: case 1: case 2:
      step.setter = ConfigStep::Setter::i64;
      step.param = read_param_id(input);
      step.i64 = input.edgy_i64();
      break;
    case 3:
      step.setter = ConfigStep::Setter::f64;
      step.param = read_param_id(input);
      step.f64 = input.edgy_f64();
      break;
    case 4:
      step.setter = ConfigStep::Setter::u64;
      step.param = read_param_id(input);
      step.u64 = input.edgy_u64();
      break;
    default: {
      step.setter = ConfigStep::Setter::text;
      const int param = read_param_id(input);
      step.name = param >= 0 && param < kParamCount ? kParams[param].name : input.text();
      step.text = read_value_text(input);
      break;
    }
  }
  return step;
}

bool sets_seed(const ConfigStep& step) {
  return step.setter == ConfigStep::Setter::u64 ? step.param == BACKOFF_PARAM_SEED
                                                : step.setter == ConfigStep::Setter::text && step.name == "seed";
}

int apply_by_id(backoff_config* config, const ConfigStep& step) {
  switch (step.setter) {
    case ConfigStep::Setter::i64: return backoff_config_set_i64(config, step.param, step.i64);
    case ConfigStep::Setter::f64: return backoff_config_set_f64(config, step.param, step.f64);
    case ConfigStep::Setter::u64: return backoff_config_set_u64(config, step.param, step.u64);
    case ConfigStep::Setter::text: break;
  }
  return backoff_config_set_text(config, step.name.c_str(), step.text.c_str());
}

int apply_as_text(backoff_config* config, const ConfigStep& step) {
  if (step.setter == ConfigStep::Setter::text) {
    return backoff_config_set_text(config, step.name.c_str(), step.text.c_str());
  }
  const int type = documented_param_type(step.param);
  if (type < 0) return backoff_config_set_text(config, "no_such_parameter", "0");
  const bool same_type = step.setter == ConfigStep::Setter::i64 ? takes_i64(type)
                         : step.setter == ConfigStep::Setter::f64 ? type == BACKOFF_TYPE_REAL
                                                                  : type == BACKOFF_TYPE_SEED;
  if (!same_type) return kNoTextForm;
  return backoff_config_set_text(config, kParams[step.param].name, typed_value_text(step, type).c_str());
}

void check_setter_status(int status) {
  const bool documented = status == BACKOFF_OK || status == BACKOFF_EINVAL || status == BACKOFF_EUNKNOWN ||
                          status == BACKOFF_ETYPE;
  FUZZ_REQUIRE(documented, "status %d (%s): %s", status, backoff_strerror(status), backoff_last_error());
  if (status != BACKOFF_OK) {
    FUZZ_REQUIRE(backoff_last_error()[0] != '\0', "status %d left no message", status);
  }
}

void check_param_table() {
  for (int param = 0; param < kParamCount; ++param) {
    const char* name = backoff_param_name(param);
    FUZZ_REQUIRE(name != nullptr && std::strcmp(name, kParams[param].name) == 0, "param %d is named %s", param,
                 name ? name : "NULL");
    FUZZ_REQUIRE(backoff_param_type(param) == kParams[param].type, "param %s has type %d", name,
                 backoff_param_type(param));
    int looked_up = -1;
    FUZZ_REQUIRE(backoff_param_from_name(&looked_up, name) == BACKOFF_OK && looked_up == param,
                 "name %s looks up as %d", name, looked_up);
  }
  FUZZ_REQUIRE(backoff_param_name(kParamCount) == nullptr,
               "backoff.h gained parameter %d (%s): add it to kParams in tests/fuzz/fuzz_config_steps.cpp",
               kParamCount, backoff_param_name(kParamCount));
  FUZZ_REQUIRE(backoff_param_type(-1) == BACKOFF_EUNKNOWN, "param -1 has a type");
}

}  // namespace backoff_fuzz
