// Fuzz target: arbitrary call sequences on a backoff state, at arbitrary times, with arbitrary hints.
//
// A policy is configured from the input; then a state runs a sequence of next / next_at / reset /
// reset_at / elapsed / attempt calls, on an injected clock and at explicit times that creep forward,
// jump anywhere or go backwards. A model of the documented behaviour follows along and checks every
// answer: a delay is in [0, cap] or BACKOFF_STOP; a STOP has a documented reason and is final until
// reset; only a delay counts an attempt; a hint is a floor but never lifts a delay past the cap; a
// delay never carries the elapsed time past MAX_ELAPSED; a seeded state replays backoff_policy_delay()
// with key 0; a decorrelated state stays within U(initial, previous * multiplier).
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "backoff.h"
#include "fuzz_check.hpp"
#include "fuzz_config_steps.hpp"
#include "fuzz_input.hpp"
#include "fuzz_policy_facts.hpp"
#include "fuzz_time.hpp"

using namespace backoff_fuzz;

namespace {

// What backoff.h says the state must remember.
struct Model {
  std::uint64_t attempts = 0;
  bool stopped = false;
  std::int64_t start_ns = 0;
  std::int64_t previous_ns = 0;  // the last delay: the decorrelated chain grows from it

  std::int64_t elapsed_at(std::int64_t now_ns) const {
    std::int64_t elapsed;
    if (now_ns <= start_ns) return 0;  // a clock gone backwards
    return __builtin_sub_overflow(now_ns, start_ns, &elapsed) ? kMaxNs : elapsed;
  }
};

class StateRun {
 public:
  StateRun(const backoff_config* config, const backoff_policy* reference, bool seeded)
      : config_(config), reference_(reference), facts_(read_policy_facts(reference)), seeded_(seeded) {}
  ~StateRun() { backoff_state_free(state_); }

  // Creates the state on the fuzz clock from a policy built for it and freed at once: the state must
  // keep its own copy. Built from the same config, that policy equals the reference one (seed included,
  // when seeded).
  void create(std::int64_t now_ns) {
    backoff_state_free(state_);
    state_ = nullptr;
    clock_.now_ns = now_ns;
    backoff_policy* policy = nullptr;
    FUZZ_REQUIRE(backoff_policy_new(&policy, config_) == BACKOFF_OK, "rebuilding the policy failed");
    const int status = backoff_state_new_with_clock(&state_, policy, &FuzzClock::read, &clock_);
    backoff_policy_free(policy);
    FUZZ_REQUIRE(status == BACKOFF_OK, "state_new_with_clock: status %d", status);
    restart(now_ns);
  }

  void run(FuzzInput& input);

 private:
  void restart(std::int64_t now_ns) { model_ = Model{0, false, now_ns, facts_.initial_ns}; }
  std::int64_t next_time(FuzzInput& input) const;
  std::int64_t read_hint(FuzzInput& input) const;
  void check_next(std::int64_t now_ns, std::int64_t hint_ns, int status, std::int64_t delay_ns);
  DrawRange candidates(std::int64_t hint_ns) const;
  std::int64_t seeded_delay(std::int64_t hint_ns) const;
  void check_counters(std::int64_t now_ns) const;

  const backoff_config* config_;
  const backoff_policy* reference_;
  PolicyFacts facts_;
  bool seeded_;
  FuzzClock clock_;
  backoff_state* state_ = nullptr;
  Model model_;
};

std::int64_t StateRun::next_time(FuzzInput& input) const {
  const std::int64_t now = clock_.now_ns;
  std::int64_t moved;
  switch (input.below(5)) {
    case 0: return now;
    case 1: return __builtin_add_overflow(now, std::int64_t{input.byte()} * 1'000'000, &moved) ? kMaxNs : moved;
    case 2: return __builtin_add_overflow(now, input.edgy_i64(), &moved) ? kMaxNs : moved;
    case 3: return __builtin_sub_overflow(now, std::int64_t{input.byte()}, &moved) ? kMinNs : moved;
    default: return input.edgy_i64();
  }
}

std::int64_t StateRun::read_hint(FuzzInput& input) const {
  switch (input.below(4)) {
    case 0: return input.edgy_i64();  // any value, negative ones included
    case 1: {                         // cap - 1, cap or cap + 1
      const int nudge = static_cast<int>(input.below(3)) - 1;
      std::int64_t around_cap;
      return __builtin_add_overflow(facts_.cap_ns, nudge, &around_cap) ? kMaxNs : around_cap;
    }
    default: return 0;
  }
}

// The delay a seeded, non-decorrelated state must give: the stateless delay with key 0, raised to the
// hint (capped) when the hint is longer.
std::int64_t StateRun::seeded_delay(std::int64_t hint_ns) const {
  std::int64_t delay = -2;
  backoff_policy_delay(&delay, reference_, model_.attempts, 0);
  return hint_ns > delay ? std::min(hint_ns, facts_.cap_ns) : delay;
}

// The values the next delay may take before MAX_ELAPSED is applied: a draw, raised to the hint (capped).
DrawRange StateRun::candidates(std::int64_t hint_ns) const {
  DrawRange range;
  if (facts_.kind == BACKOFF_KIND_DECORRELATED) {
    // U(initial, min(cap, previous * multiplier)), the product rounded to whole nanoseconds.
    const long double grown = static_cast<long double>(model_.previous_ns) * facts_.multiplier;
    range = draw_range(facts_, grown * (1 + 0x1p-50L) + 1);
  } else {
    range = draw_range(facts_, static_cast<long double>(check_base_delay(facts_, reference_, model_.attempts)));
  }
  const long double floor = static_cast<long double>(std::min(hint_ns, facts_.cap_ns));
  return {std::max(range.lowest, floor), std::max(range.highest, floor)};
}

void StateRun::check_next(std::int64_t now_ns, std::int64_t hint_ns, int status, std::int64_t delay_ns) {
  if (hint_ns < 0) {
    FUZZ_REQUIRE(status == BACKOFF_EINVAL, "hint %" PRId64 " gave status %d", hint_ns, status);
    return;  // refused: nothing changes
  }
  FUZZ_REQUIRE(status == BACKOFF_OK, "next: status %d: %s", status, backoff_last_error());
  if (model_.stopped || attempts_exhausted(facts_, model_.attempts)) {
    FUZZ_REQUIRE(delay_ns == BACKOFF_STOP, "after a stop or at attempt %" PRIu64 " of %" PRId64 ": %" PRId64,
                 model_.attempts, facts_.max_attempts, delay_ns);
    model_.stopped = true;
    return;
  }
  const std::int64_t elapsed = model_.elapsed_at(now_ns);
  const DrawRange range = candidates(hint_ns);
  const bool predictable = seeded_ && facts_.kind != BACKOFF_KIND_DECORRELATED;
  if (delay_ns == BACKOFF_STOP) {
    // The only reason left is MAX_ELAPSED: the delay drawn, at most the largest candidate, passed it.
    // (Compared before converting: under valgrind a long double has only a double's 53 bits, and a
    // cap near INT64_MAX would round up to 2^63, which does not convert.)
    std::int64_t largest = facts_.cap_ns;
    if (predictable) {
      largest = seeded_delay(hint_ns);
    } else if (range.highest < facts_.cap_ns) {
      largest = static_cast<std::int64_t>(std::ceil(range.highest));
    }
    FUZZ_REQUIRE(passes_max_elapsed(facts_, model_.attempts, elapsed, largest),
                 "STOP at attempt %" PRIu64 ", elapsed %" PRId64 ", max_elapsed %" PRId64 ", delay up to %" PRId64,
                 model_.attempts, elapsed, facts_.max_elapsed_ns, largest);
    model_.stopped = true;
    return;
  }
  FUZZ_REQUIRE(delay_ns >= 0 && delay_ns <= facts_.cap_ns && range.contains(delay_ns),
               "delay %" PRId64 " outside [%Lg, %Lg] (cap %" PRId64 ", hint %" PRId64 ") at attempt %" PRIu64,
               delay_ns, range.lowest, range.highest, facts_.cap_ns, hint_ns, model_.attempts);
  FUZZ_REQUIRE(!passes_max_elapsed(facts_, model_.attempts, elapsed, delay_ns),
               "delay %" PRId64 " after elapsed %" PRId64 " passes max_elapsed %" PRId64, delay_ns, elapsed,
               facts_.max_elapsed_ns);
  if (predictable) {
    FUZZ_REQUIRE(delay_ns == seeded_delay(hint_ns), "seeded state gave %" PRId64 ", stateless form %" PRId64,
                 delay_ns, seeded_delay(hint_ns));
  }
  ++model_.attempts;
  model_.previous_ns = delay_ns;
}

void StateRun::check_counters(std::int64_t now_ns) const {
  std::uint64_t attempts = 0;
  std::int64_t elapsed = -2;
  FUZZ_REQUIRE(backoff_state_attempt(&attempts, state_) == BACKOFF_OK && attempts == model_.attempts,
               "attempt() is %" PRIu64 ", %" PRIu64 " delays were handed out", attempts, model_.attempts);
  FUZZ_REQUIRE(backoff_state_elapsed_at(&elapsed, state_, now_ns) == BACKOFF_OK &&
                   elapsed == model_.elapsed_at(now_ns),
               "elapsed_at(%" PRId64 ") is %" PRId64 ", started at %" PRId64, now_ns, elapsed, model_.start_ns);
}

void StateRun::run(FuzzInput& input) {
  for (int calls = 0; calls < 256 && !input.empty(); ++calls) {
    const std::int64_t now = next_time(input);
    std::int64_t delay = -2;
    switch (input.below(8)) {
      case 0: case 1: case 2: {
        const std::int64_t hint = read_hint(input);
        const int status = backoff_state_next_at(&delay, state_, now, hint);
        check_next(now, hint, status, delay);
        break;
      }
      case 3: {
        const std::int64_t hint = read_hint(input);
        clock_.now_ns = now;
        const int status = backoff_state_next(&delay, state_, hint);
        check_next(now, hint, status, delay);
        break;
      }
      case 4:
        FUZZ_REQUIRE(backoff_state_reset_at(state_, now) == BACKOFF_OK, "reset_at failed");
        restart(now);
        break;
      case 5:
        clock_.now_ns = now;
        FUZZ_REQUIRE(backoff_state_reset(state_) == BACKOFF_OK, "reset failed");
        restart(now);
        break;
      case 6:
        // A refused call changes nothing: no attempt is counted, no stop is recorded.
        FUZZ_REQUIRE(backoff_state_next_at(nullptr, state_, now, 0) == BACKOFF_ENULL, "NULL out accepted");
        break;
      default: create(now); break;
    }
    clock_.now_ns = now;
    std::int64_t elapsed = -2;
    FUZZ_REQUIRE(backoff_state_elapsed(&elapsed, state_) == BACKOFF_OK && elapsed == model_.elapsed_at(now),
                 "elapsed() on the clock is %" PRId64 " at %" PRId64, elapsed, now);
    check_counters(input.edgy_i64());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput input(data, size);
  backoff_config* config = new_config(backoff_config_new);
  bool seeded = false;
  for (std::uint32_t steps = input.below(12); steps != 0; --steps) {
    const ConfigStep step = read_config_step(input);
    const int status = apply_by_id(config, step);
    check_setter_status(status);
    seeded |= status == BACKOFF_OK && sets_seed(step);
  }
  backoff_policy* policy = nullptr;
  if (backoff_policy_new(&policy, config) == BACKOFF_OK) {  // refusals are fuzz_policy_config's subject
    StateRun run(config, policy, seeded);
    run.create(input.edgy_i64());
    run.run(input);
  }
  backoff_policy_free(policy);
  backoff_config_free(config);
  return 0;
}
