// The vocabulary: names round-trip, choices are checked against it, and the default text of every
// parameter (vocabulary_params.hpp) is what the configs' member initializers hold.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "backoff/breaker_config.hpp"
#include "backoff/budget_config.hpp"
#include "backoff/config.hpp"
#include "backoff/param_table.hpp"
#include "backoff/policy.hpp"
#include "backoff/status.hpp"
#include "backoff/vocabulary.hpp"

using backoff::VocabFamily;

TEST_CASE("every name of every family reads back as its value") {
  for (int family = 0; family < backoff::kVocabFamilyCount; ++family) {
    const auto f = static_cast<VocabFamily>(family);
    int named = 0;
    for (int value = -20; value < 64; ++value) {
      const char* name = backoff::name_of(f, value);
      if (name == nullptr) continue;
      ++named;
      CHECK(backoff::value_of(f, name) == value);
    }
    CHECK(named > 0);
  }
}

TEST_CASE("an unknown name is an error that lists the known ones") {
  CHECK_THROWS_WITH(backoff::value_of(VocabFamily::calibration, "aws2"),
                    "calibration: unknown value 'aws2' (known: aws, grpc, finagle)");
  CHECK_THROWS_WITH(backoff::value_of(VocabFamily::window, "x", "window"),
                    "window: unknown value 'x' (known: count, time)");
}

TEST_CASE("a choice set by value must be a value of its family") {
  backoff::BreakerConfig breaker;
  CHECK_THROWS_WITH(breaker.set_i64(backoff::BreakerParam::window, 2), "window: unknown value 2 (known: 0 count, 1 time)");
  CHECK(breaker.window == backoff::WindowKind::time);
  backoff::BudgetConfig budget;
  CHECK_THROWS_WITH(budget.set_i64(backoff::BudgetParam::calibration, 3),
                    "calibration: unknown value 3 (known: 0 aws, 1 grpc, 2 finagle)");
}

TEST_CASE("the policy's default texts build the default policy") {
  backoff::Config from_text;
  for (int i = 0; i < backoff::kParamCount; ++i) {
    if (backoff::kPolicyParams[i].type == backoff::ParamType::seed) continue;  // "unseeded"
    from_text.set_text(backoff::kPolicyParams[i].name, backoff::kPolicyParams[i].default_text);
  }
  const backoff::Policy defaults{backoff::Config{}};
  const backoff::Policy texts{from_text};
  for (int i = 0; i < backoff::kParamCount; ++i) {
    const auto param = static_cast<backoff::Param>(i);
    switch (backoff::param_type(param)) {
      case backoff::ParamType::real: CHECK(texts.get_f64(param) == defaults.get_f64(param)); break;
      case backoff::ParamType::seed: CHECK(std::string(backoff::kPolicyParams[i].default_text) == "unseeded"); break;
      default: CHECK(texts.get_i64(param) == defaults.get_i64(param)); break;
    }
  }
}

TEST_CASE("a retry loop given no stop takes 5 attempts and no time limit, and only stops have one") {
  std::vector<std::string> stops;
  backoff::Config loop;
  for (int i = 0; i < backoff::kParamCount; ++i) {
    const std::string text = backoff::retry_stop_default(VocabFamily::param, i);
    if (text.empty()) continue;
    stops.push_back(backoff::kPolicyParams[i].name);
    loop.set_text(backoff::kPolicyParams[i].name, text);
  }
  CHECK(stops == std::vector<std::string>{"max_attempts", "max_elapsed", "deadline"});
  const backoff::Policy policy{loop};
  CHECK(policy.get_i64(backoff::Param::max_attempts) == 5);
  CHECK(policy.get_i64(backoff::Param::max_elapsed) == 0);
  CHECK(policy.get_i64(backoff::Param::deadline) == 0);
  CHECK(policy.delay(3, 0) != backoff::kStopDelay);  // the wait before the 5th attempt
  CHECK(policy.delay(4, 0) == backoff::kStopDelay);  // no 6th
  // The policy's own default stays unlimited; no other family has a retry loop default.
  CHECK(backoff::Policy{backoff::Config{}}.get_i64(backoff::Param::max_attempts) == 0);
  CHECK(std::string(backoff::retry_stop_default(VocabFamily::breaker_param, 0)).empty());
  CHECK(std::string(backoff::retry_stop_default(VocabFamily::param, backoff::kParamCount)).empty());
}

// Each parameter's default text, set on a fresh config, leaves it equal to the default config.
template <typename Config, typename Param>
void check_default_texts(const backoff::ParamSpec* table, int count) {
  const Config defaults;
  for (int i = 0; i < count; ++i) {
    const auto param = static_cast<Param>(i);
    Config from_text;
    from_text.set_text(table[i].name, table[i].default_text);
    if (table[i].type == backoff::ParamType::real) {
      CHECK(from_text.get_f64(param) == defaults.get_f64(param));
    } else {
      CHECK(from_text.get_i64(param) == defaults.get_i64(param));
    }
  }
}

TEST_CASE("the breaker's and the budget's default texts are their configs' defaults") {
  check_default_texts<backoff::BreakerConfig, backoff::BreakerParam>(backoff::kBreakerParams, backoff::kBreakerParamCount);
  check_default_texts<backoff::BudgetConfig, backoff::BudgetParam>(backoff::kBudgetParams, backoff::kBudgetParamCount);
}

TEST_CASE("require_member takes the members of a family numbered 0 .. n-1 inline and of any other by its table") {
  using backoff::require_member;
  CHECK(backoff::kDenseMemberCount[static_cast<int>(VocabFamily::outcome)] == 3);
  CHECK(backoff::kDenseMemberCount[static_cast<int>(VocabFamily::status)] == 0);  // its codes are negative
  for (const std::int64_t value : {0, 1, 2}) CHECK(require_member(VocabFamily::outcome, value, "outcome") == value);
  CHECK_THROWS_WITH(require_member(VocabFamily::outcome, 3, "outcome"), Catch::Contains("outcome: unknown value 3"));
  CHECK_THROWS_WITH(require_member(VocabFamily::outcome, -1, "outcome"), Catch::Contains("outcome: unknown value -1"));
  const auto invalid = static_cast<std::int64_t>(backoff::Status::invalid_value);
  CHECK(require_member(VocabFamily::status, invalid, "status") == invalid);
  CHECK_THROWS_WITH(require_member(VocabFamily::status, 12345, "status"), Catch::Contains("status: unknown value 12345"));
}
