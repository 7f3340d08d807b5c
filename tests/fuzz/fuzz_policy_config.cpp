// Fuzz target: the policy configuration surface and the stateless delay.
//
// The input is a sequence of configuration steps with arbitrary ids, names and values. Every step is
// applied twice: to one config by parameter id through the typed setters, and to another by name
// through backoff_config_set_text(), the value written as text. Both must accept or refuse it alike and
// build the same policy. The policy's delays are then probed at arbitrary attempts, keys and elapsed
// times: 0 <= delay <= cap or BACKOFF_STOP, within the jitter mode's bounds, on the kind's schedule,
// stopping exactly where MAX_ATTEMPTS and MAX_ELAPSED say, and the same at every call.
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "backoff.h"
#include "fuzz_check.hpp"
#include "fuzz_config_steps.hpp"
#include "fuzz_input.hpp"
#include "fuzz_policy_facts.hpp"

using namespace backoff_fuzz;

namespace {

constexpr std::uint64_t kMaxAttempt = std::numeric_limits<std::uint64_t>::max();

// Configures two configs in step, one by id and one by text, and returns whether a seed was set.
bool configure_both_ways(FuzzInput& input, backoff_config* by_id, backoff_config* by_text) {
  bool seeded = false;
  for (std::uint32_t steps = input.below(16); steps != 0; --steps) {
    const ConfigStep step = read_config_step(input);
    const int id_status = apply_by_id(by_id, step);
    check_setter_status(id_status);
    const int text_status = apply_as_text(by_text, step);
    if (text_status == kNoTextForm) {
      FUZZ_REQUIRE(id_status == BACKOFF_ETYPE, "a typed setter took parameter %d of another type", step.param);
    } else {
      check_setter_status(text_status);
      FUZZ_REQUIRE((id_status == BACKOFF_OK) == (text_status == BACKOFF_OK),
                   "parameter %d: by id status %d, as text status %d (%s)", step.param, id_status, text_status,
                   backoff_last_error());
    }
    seeded |= id_status == BACKOFF_OK && sets_seed(step);
  }
  return seeded;
}

// Probes the stateless delay at one (attempt, key, elapsed) against the documented rules.
void check_delay(const PolicyFacts& facts, const backoff_policy* policy, std::uint64_t attempt, std::uint64_t key,
                 std::int64_t elapsed_ns) {
  const std::int64_t base = check_base_delay(facts, policy, attempt);
  if (attempt != kMaxAttempt) {
    const std::int64_t next_base = check_base_delay(facts, policy, attempt + 1);
    FUZZ_REQUIRE(next_base >= base, "base delay shrank from %" PRId64 " to %" PRId64 " after attempt %" PRIu64,
                 base, next_base, attempt);
  }

  std::int64_t delay = -2, again = -2, within = -2;
  FUZZ_REQUIRE(backoff_policy_delay(&delay, policy, attempt, key) == BACKOFF_OK, "delay failed");
  FUZZ_REQUIRE(backoff_policy_delay(&again, policy, attempt, key) == BACKOFF_OK && again == delay,
               "delay(%" PRIu64 ", %" PRIu64 ") gave %" PRId64 " then %" PRId64, attempt, key, delay, again);
  if (attempts_exhausted(facts, attempt)) {
    FUZZ_REQUIRE(delay == BACKOFF_STOP, "attempt %" PRIu64 " of max_attempts %" PRId64 " gave %" PRId64,
                 attempt, facts.max_attempts, delay);
  } else {
    FUZZ_REQUIRE(delay >= 0 && delay <= facts.cap_ns && draw_range(facts, base).contains(delay),
                 "delay %" PRId64 " for base %" PRId64 " (cap %" PRId64 ", kind %" PRId64 ", jitter %" PRId64
                 ") at attempt %" PRIu64,
                 delay, base, facts.cap_ns, facts.kind, facts.jitter, attempt);
  }

  FUZZ_REQUIRE(backoff_policy_delay_within(&within, policy, attempt, key, elapsed_ns) == BACKOFF_OK,
               "delay_within failed");
  const bool stop = delay == BACKOFF_STOP || passes_max_elapsed(facts, attempt, elapsed_ns, delay);
  FUZZ_REQUIRE(within == (stop ? BACKOFF_STOP : delay),
               "delay_within(elapsed %" PRId64 ") gave %" PRId64 " for delay %" PRId64 ", max_elapsed %" PRId64,
               elapsed_ns, within, delay, facts.max_elapsed_ns);
}

// Compares the two policies, which were configured alike, and probes the first one.
void check_policies(FuzzInput& input, const backoff_policy* by_id, const backoff_policy* by_text, bool seeded) {
  const PolicyFacts facts = read_policy_facts(by_id);
  FUZZ_REQUIRE(same_facts(facts, read_policy_facts(by_text), seeded),
               "configuring by id and by text built different policies");

  const auto max_attempts = static_cast<std::uint64_t>(facts.max_attempts);
  const std::uint64_t boundaries[] = {0, 1, max_attempts - 2, max_attempts - 1, max_attempts, kMaxAttempt};
  for (std::uint64_t attempt : boundaries) check_delay(facts, by_id, attempt, 0, 0);

  for (std::uint32_t probes = input.below(16) + 1; probes != 0; --probes) {
    const std::uint64_t attempt = input.edgy_u64(), key = input.edgy_u64();
    check_delay(facts, by_id, attempt, key, input.edgy_i64());
    std::int64_t id_delay, text_delay;
    backoff_policy_base_delay(&id_delay, by_id, attempt);
    backoff_policy_base_delay(&text_delay, by_text, attempt);
    FUZZ_REQUIRE(id_delay == text_delay, "base delays differ: %" PRId64 " by id, %" PRId64 " by text", id_delay,
                 text_delay);
    if (seeded) {
      backoff_policy_delay(&id_delay, by_id, attempt, key);
      backoff_policy_delay(&text_delay, by_text, attempt, key);
      FUZZ_REQUIRE(id_delay == text_delay, "seeded delays differ: %" PRId64 " by id, %" PRId64 " by text",
                   id_delay, text_delay);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool table_checked = (check_param_table(), true);
  (void)table_checked;
  FuzzInput input(data, size);

  backoff_config *by_id = nullptr, *by_text = nullptr;
  FUZZ_REQUIRE(backoff_config_new(&by_id) == BACKOFF_OK && backoff_config_new(&by_text) == BACKOFF_OK,
               "config_new failed");
  const bool seeded = configure_both_ways(input, by_id, by_text);

  // Out-parameters are written only on success: a refused policy leaves the sentinel in place.
  static char sentinel;
  backoff_policy* const untouched = reinterpret_cast<backoff_policy*>(&sentinel);
  backoff_policy *policy_by_id = untouched, *policy_by_text = untouched;
  const int id_status = backoff_policy_new(&policy_by_id, by_id);
  const int text_status = backoff_policy_new(&policy_by_text, by_text);
  // The policies keep copies: free the configs now, so a policy that kept a pointer reads freed memory.
  backoff_config_free(by_id);
  backoff_config_free(by_text);

  FUZZ_REQUIRE(id_status == text_status, "policy_new: %d by id, %d by text", id_status, text_status);
  if (id_status != BACKOFF_OK) {
    FUZZ_REQUIRE(id_status == BACKOFF_EINVAL && backoff_last_error()[0] != '\0', "policy_new: status %d: %s",
                 id_status, backoff_last_error());
    FUZZ_REQUIRE(policy_by_id == untouched && policy_by_text == untouched, "a refused policy_new wrote *out");
    return 0;
  }
  check_policies(input, policy_by_id, policy_by_text, seeded);
  backoff_policy_free(policy_by_id);
  backoff_policy_free(policy_by_text);
  return 0;
}
