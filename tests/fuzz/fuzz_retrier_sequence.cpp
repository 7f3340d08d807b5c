// Fuzz target: retried calls driven step by step through the pull-style retrier API, two retriers
// sharing one circuit breaker and one AWS retry budget, at arbitrary times.
//
// A seeded policy comes from arbitrary configuration steps, with MAX_ATTEMPTS and MAX_ELAPSED set now
// and then; the breaker from arbitrary parameters; the budget (AWS calibration) from small token counts.
// Each retrier attaches either, both or neither. Then up to 256 steps: before_attempt, on_failure (any
// error class, any hint, negative and unknown ones included), on_success, on_permanent_failure, cancel,
// reset, a manual breaker transition, the getters; through the `_at` forms and the injected clock, at
// times that creep, jump or go backwards. A step may also run a whole call with backoff_retrier_run(),
// whose operation, hooks and sleep follow the input: any result and hint (broken contracts too), time
// taken, cancellation from inside, a re-entrant call, a hook or a sleep that cancels. A model of backoff.h
// follows each retrier and checks:
//   - a retry's delay is in [0, cap] and at least min(hint, cap); a refusal's wait is >= 0;
//   - no retry passes MAX_ATTEMPTS, counting the first call, nor carries the elapsed time (from the first
//     failure, or from the reset when the first attempt was not announced) past MAX_ELAPSED; a call that
//     gives up had one of them to give up on;
//   - the deadline (the earlier of DEADLINE after the call's start and one set_deadline_at() gave, now
//     and then): no retry's delay reaches it, no attempt starts at or past it, and a call ends as
//     DEADLINE_EXCEEDED only when a delay up to the cap could reach it;
//   - the outcome, attempts, failures and idle time are what the steps say; an ended call refuses
//     before_attempt and repeats BACKOFF_STOP; a cancellation ends a pending call at its next attempt;
//   - a run returns its outcome's status (a broken contract's EINVAL / EUNKNOWN, without hooks), reports
//     op's last result, calls on_success or on_giveup once with the attempts, sleeps what before_sleep
//     was told, and answers a re-entrant call with BACKOFF_EREENTRANT;
//   - every breaker permit is settled: ADMITTED = SUCCESSES + FAILURES + IGNORED + RELEASED + STALE + the
//     permits the retriers hold at that moment, and with nothing held at the end;
//   - every budget ticket is settled: the balance follows the documented AWS rules to the milli-token
//     (a retry takes its class's cost; a successful retry gets it back, a first attempt's success adds
//     no_retry_increment; a failed retry has spent it; a retry that will not run gets it back, at a
//     refusal, a cancellation, a reset or a free), GRANTED and REFUSED count the retries.
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
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

constexpr int kRetriers = 2;

// ----- what the retriers share -----

backoff_policy* make_policy(FuzzInput& input) {
  backoff_config* config = new_config(backoff_config_new);
  for (std::uint32_t steps = input.below(6); steps != 0; --steps) check_setter_status(apply_by_id(config, read_config_step(input)));
  // Limits often enough to exercise them; a seed, so that a run replays.
  if (input.flag()) backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS, input.below(6));
  if (input.flag()) backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ELAPSED_NS,
                                           std::int64_t{input.byte()} * 10'000'000);
  if (input.flag()) backoff_config_set_i64(config, BACKOFF_PARAM_DEADLINE_NS, std::int64_t{input.byte()} * 20'000'000);
  if (input.flag()) backoff_config_set_i64(config, BACKOFF_PARAM_STOP_WHEN, input.below(2));
  backoff_config_set_u64(config, BACKOFF_PARAM_SEED, input.raw_u64());
  backoff_policy* policy = nullptr;
  backoff_policy_new(&policy, config);
  backoff_config_free(config);
  return policy;
}

backoff_breaker* make_breaker(FuzzInput& input, FuzzClock* clock) {
  backoff_breaker_config* config = new_config(backoff_breaker_config_new);
  for (std::uint32_t steps = input.below(6); steps != 0; --steps) {
    const int param = static_cast<int>(input.below(15));
    std::int64_t value;
    switch (input.below(3)) {
      case 0: value = input.byte(); break;
      case 1: value = std::int64_t{input.byte()} * 1'000'000; break;
      default: value = input.edgy_i64(); break;
    }
    const int status = backoff_breaker_param_type(param) == BACKOFF_TYPE_REAL
                           ? backoff_breaker_config_set_f64(config, param, input.edgy_f64())
                           : backoff_breaker_config_set_i64(config, param, value);
    check_setter_status(status);
  }
  backoff_breaker* breaker = nullptr;
  backoff_breaker_new_with_clock(&breaker, config, &FuzzClock::read, clock);
  backoff_breaker_config_free(config);
  return breaker;
}

// The AWS calibration, in small token counts so that the bucket runs dry within a run.
struct BudgetRules {
  std::int64_t capacity = 0;
  std::int64_t costs[3] = {0, 0, 0};
  std::int64_t increment = 0;
};

backoff_budget* make_budget(FuzzInput& input, FuzzClock* clock, BudgetRules* rules) {
  backoff_budget_config* config = new_config(backoff_budget_config_new);
  const double capacity = 1 + input.byte() / 4.0;
  const int params[] = {BACKOFF_BUDGET_PARAM_RETRY_COST, BACKOFF_BUDGET_PARAM_TIMEOUT_COST,
                        BACKOFF_BUDGET_PARAM_THROTTLING_COST};
  bool ok = backoff_budget_config_set_f64(config, BACKOFF_BUDGET_PARAM_CAPACITY, capacity) == BACKOFF_OK;
  for (int i = 0; i < 3; ++i) {
    const double cost = std::min(capacity, input.byte() / 8.0);  // quarter and eighth tokens: exact milli
    ok &= backoff_budget_config_set_f64(config, params[i], cost) == BACKOFF_OK;
    rules->costs[i] = std::llround(cost * 1000);
  }
  const double increment = input.below(16) / 8.0;
  ok &= backoff_budget_config_set_f64(config, BACKOFF_BUDGET_PARAM_NO_RETRY_INCREMENT, increment) == BACKOFF_OK;
  FUZZ_REQUIRE(ok, "an AWS budget parameter in its domain was refused: %s", backoff_last_error());
  rules->capacity = std::llround(capacity * 1000);
  rules->increment = std::llround(increment * 1000);
  backoff_budget* budget = nullptr;
  FUZZ_REQUIRE(backoff_budget_new_with_clock(&budget, config, &FuzzClock::read, clock) == BACKOFF_OK,
               "budget_new: %s", backoff_last_error());
  backoff_budget_config_free(config);
  return budget;
}

// ----- the model -----

// One retrier and what backoff.h says it holds.
struct Call {
  backoff_retrier* handle = nullptr;
  bool breaker = false, budget = false;  // attached
  int outcome = BACKOFF_RETRY_PENDING;
  bool cancel_requested = false;
  bool holds_permit = false;
  std::int64_t ticket_cost = -1;  // the tokens of the retry it holds, or -1
  bool started = false;           // its first attempt went through before_attempt
  std::uint64_t failures = 0;
  std::int64_t idle_ns = 0;
  std::int64_t window_start_ns = 0;  // where MAX_ELAPSED counts from
  std::int64_t call_start_ns = 0;    // where DEADLINE counts from
  std::int64_t caller_deadline_ns = kMaxNs;
};

class RetrierRun {
 public:
  RetrierRun(const backoff_policy* policy, backoff_breaker* breaker, backoff_budget* budget, const BudgetRules& rules,
             FuzzClock* clock, FuzzInput& input);
  ~RetrierRun();
  void run(FuzzInput& input);
  void finish();

 private:
  std::int64_t next_time(FuzzInput& input) const;
  std::int64_t read_hint(FuzzInput& input) const;
  std::int64_t elapsed(const Call& call, std::int64_t now_ns) const;
  std::int64_t deadline(const Call& call) const;
  bool reaches_deadline(const Call& call, std::int64_t at_ns) const;
  void set_deadline(Call& call, FuzzInput& input);
  void give_back(Call& call);
  void deposit(std::int64_t milli) { balance_ = std::min(rules_.capacity, balance_ + milli); }
  void before_attempt(Call& call, std::int64_t now_ns, bool on_clock);
  void on_failure(Call& call, FuzzInput& input, std::int64_t now_ns, bool on_clock);
  void on_success(Call& call, std::int64_t now_ns, bool on_clock);
  void on_permanent(Call& call, std::int64_t now_ns, bool on_clock);
  void reset(Call& call, std::int64_t now_ns, bool on_clock);
  void model_failure(Call& call, std::int64_t now_ns);
  void model_decision(Call& call, int error_class, std::int64_t hint_ns, std::int64_t now_ns, std::int64_t delay_ns,
                      int outcome);
  void model_success(Call& call);
  void model_permanent(Call& call);
  void model_reset(Call& call, std::int64_t now_ns);
  void run_call(Call& call, FuzzInput& input);
  friend struct RunContext;
  void check_call(const Call& call, std::int64_t now_ns) const;
  void check_settled(std::int64_t now_ns) const;

  PolicyFacts facts_;
  std::int64_t deadline_ns_ = 0;  // the policy's DEADLINE
  backoff_breaker* breaker_;
  backoff_budget* budget_;
  BudgetRules rules_;
  FuzzClock* clock_;
  Call calls_[kRetriers];
  std::int64_t balance_ = 0;
  std::uint64_t granted_ = 0, refused_ = 0;
  std::int64_t latest_ns_;
};

RetrierRun::RetrierRun(const backoff_policy* policy, backoff_breaker* breaker, backoff_budget* budget,
                       const BudgetRules& rules, FuzzClock* clock, FuzzInput& input)
    : facts_(read_policy_facts(policy)), breaker_(breaker), budget_(budget), rules_(rules), clock_(clock),
      balance_(rules.capacity), latest_ns_(clock->now_ns) {
  FUZZ_REQUIRE(backoff_policy_get_i64(&deadline_ns_, policy, BACKOFF_PARAM_DEADLINE_NS) == BACKOFF_OK &&
                   deadline_ns_ >= 0, "deadline: %" PRId64, deadline_ns_);
  for (Call& call : calls_) {
    FUZZ_REQUIRE(backoff_retrier_new(&call.handle, policy) == BACKOFF_OK, "retrier_new failed");
    // Setting the clock starts a new call on it: its window starts now.
    FUZZ_REQUIRE(backoff_retrier_set_clock(call.handle, &FuzzClock::read, clock_) == BACKOFF_OK, "set_clock failed");
    call.window_start_ns = call.call_start_ns = clock_->now_ns;
    call.breaker = breaker_ != nullptr && input.flag();
    call.budget = budget_ != nullptr && input.flag();
    if (call.breaker) FUZZ_REQUIRE(backoff_retrier_set_breaker(call.handle, breaker_) == BACKOFF_OK, "set_breaker");
    if (call.budget) FUZZ_REQUIRE(backoff_retrier_set_budget(call.handle, budget_) == BACKOFF_OK, "set_budget");
  }
}

RetrierRun::~RetrierRun() {
  for (Call& call : calls_) backoff_retrier_free(call.handle);
}

std::int64_t RetrierRun::next_time(FuzzInput& input) const {
  switch (input.below(6)) {
    case 0: return latest_ns_;
    case 1: return plus(latest_ns_, std::int64_t{input.byte()} * 1'000'000);
    case 2: return plus(latest_ns_, std::int64_t{input.byte()} * 100'000'000);
    case 3: return plus(latest_ns_, input.edgy_i64());
    case 4: return plus(latest_ns_, -std::int64_t{input.byte()} * 1'000'000);
    default: return input.edgy_i64();
  }
}

std::int64_t RetrierRun::read_hint(FuzzInput& input) const {
  switch (input.below(4)) {
    case 0: case 1: return 0;
    case 2: return std::int64_t{input.byte()} * 10'000'000;
    default: return input.edgy_i64();  // negative ones included: refused
  }
}

std::int64_t RetrierRun::elapsed(const Call& call, std::int64_t now_ns) const {
  std::int64_t elapsed_ns;
  if (now_ns <= call.window_start_ns) return 0;  // a clock gone backwards
  return __builtin_sub_overflow(now_ns, call.window_start_ns, &elapsed_ns) ? kMaxNs : elapsed_ns;
}

// The earlier of the policy's deadline after the call's start and the caller's; kMaxNs: none.
std::int64_t RetrierRun::deadline(const Call& call) const {
  const std::int64_t own = deadline_ns_ == 0 ? kMaxNs : plus(call.call_start_ns, deadline_ns_);
  return std::min(own, call.caller_deadline_ns);
}

bool RetrierRun::reaches_deadline(const Call& call, std::int64_t at_ns) const {
  return deadline(call) != kMaxNs && at_ns >= deadline(call);
}

void RetrierRun::set_deadline(Call& call, FuzzInput& input) {
  const std::int64_t at_ns = input.flag() ? kMaxNs : plus(latest_ns_, std::int64_t{input.byte()} * 10'000'000);
  FUZZ_REQUIRE(backoff_retrier_set_deadline_at(call.handle, at_ns) == BACKOFF_OK, "set_deadline_at failed");
  call.caller_deadline_ns = at_ns;
  std::int64_t read_ns = -1;
  FUZZ_REQUIRE(backoff_retrier_deadline(&read_ns, call.handle) == BACKOFF_OK && read_ns == deadline(call),
               "deadline %" PRId64 ", %" PRId64 " expected", read_ns, deadline(call));
}

// A call that will not go on gives back what it holds: the permit unused, the ticket's tokens.
void RetrierRun::give_back(Call& call) {
  call.holds_permit = false;
  if (call.ticket_cost >= 0) deposit(call.ticket_cost);
  call.ticket_cost = -1;
}

void RetrierRun::before_attempt(Call& call, std::int64_t now_ns, bool on_clock) {
  std::int64_t wait_ns = -7;
  const int status = on_clock ? backoff_retrier_before_attempt(&wait_ns, call.handle)
                              : backoff_retrier_before_attempt_at(&wait_ns, call.handle, now_ns);
  if (call.cancel_requested) {
    FUZZ_REQUIRE(status == BACKOFF_ECANCELED && wait_ns == 0, "before_attempt after cancel: %d, wait %" PRId64, status,
                 wait_ns);
    if (call.outcome == BACKOFF_RETRY_PENDING) {
      call.outcome = BACKOFF_RETRY_CANCELLED;
      give_back(call);
    }
    return;
  }
  if (call.outcome != BACKOFF_RETRY_PENDING) {
    FUZZ_REQUIRE(status == BACKOFF_EINVAL, "before_attempt on an ended call (%d): %d", call.outcome, status);
    return;
  }
  call.holds_permit = false;  // an attempt that never reported gives its permit back
  if (reaches_deadline(call, now_ns)) {
    FUZZ_REQUIRE(status == BACKOFF_EDEADLINE && wait_ns == 0, "before_attempt past the deadline: %d", status);
    call.outcome = BACKOFF_RETRY_DEADLINE_EXCEEDED;
    give_back(call);
    return;
  }
  if (status == BACKOFF_EOPEN) {
    FUZZ_REQUIRE(call.breaker && wait_ns >= 0, "a refusal without a breaker, or waiting %" PRId64, wait_ns);
    call.outcome = BACKOFF_RETRY_CIRCUIT_OPEN;
    give_back(call);
    return;
  }
  FUZZ_REQUIRE(status == BACKOFF_OK && wait_ns == 0, "before_attempt: %d, wait %" PRId64 ": %s", status, wait_ns,
               backoff_last_error());
  call.holds_permit = call.breaker;
  call.started = true;
}

void RetrierRun::on_failure(Call& call, FuzzInput& input, std::int64_t now_ns, bool on_clock) {
  const int error_class = static_cast<int>(input.below(8) == 0 ? 3 : input.below(3));  // 3: no such class
  const std::int64_t hint_ns = read_hint(input);
  std::int64_t delay_ns = -7;
  const int status = on_clock ? backoff_retrier_on_failure(&delay_ns, call.handle, error_class, hint_ns)
                              : backoff_retrier_on_failure_at(&delay_ns, call.handle, now_ns, error_class, hint_ns);
  if (hint_ns < 0 || error_class > BACKOFF_ERROR_THROTTLING) {  // refused before anything is recorded
    // The class is translated at the C boundary, before the core sees the hint, so it is reported first.
    const int expected = error_class > BACKOFF_ERROR_THROTTLING ? BACKOFF_EUNKNOWN : BACKOFF_EINVAL;
    FUZZ_REQUIRE(status == expected, "hint %" PRId64 ", class %d: %d", hint_ns, error_class, status);
    return;
  }
  FUZZ_REQUIRE(status == BACKOFF_OK, "on_failure: %d: %s", status, backoff_last_error());
  if (call.outcome != BACKOFF_RETRY_PENDING) {
    FUZZ_REQUIRE(delay_ns == BACKOFF_STOP, "an ended call gave a delay of %" PRId64, delay_ns);
    return;
  }
  model_failure(call, now_ns);
  int outcome = -1;
  FUZZ_REQUIRE(backoff_retrier_get_outcome(&outcome, call.handle) == BACKOFF_OK, "get_outcome failed");
  model_decision(call, error_class, hint_ns, now_ns, delay_ns, outcome);
}

// A retryable failure of the latest attempt, as the retrier records it before deciding.
void RetrierRun::model_failure(Call& call, std::int64_t now_ns) {
  if (call.failures == 0 && call.started) call.window_start_ns = now_ns;  // the window starts at the first failure
  ++call.failures;
  call.holds_permit = false;  // reported as a failure
  call.ticket_cost = -1;      // the retry that failed has spent its tokens
}

// The decision after a failure: a delay (outcome PENDING) or BACKOFF_STOP with the outcome that ended it.
void RetrierRun::model_decision(Call& call, int error_class, std::int64_t hint_ns, std::int64_t now_ns,
                                std::int64_t delay_ns, int outcome) {
  const bool exhausted = attempts_exhausted(facts_, call.failures - 1);
  if (delay_ns == BACKOFF_STOP) {
    FUZZ_REQUIRE(outcome != BACKOFF_RETRY_PENDING, "STOP with the call still pending");
    if (outcome == BACKOFF_RETRY_GAVE_UP) {
      FUZZ_REQUIRE(exhausted || facts_.max_elapsed_ns != 0, "gave up after %" PRIu64 " failures with no limit to reach "
                   "(max_attempts %" PRId64 ")", call.failures, facts_.max_attempts);
    } else if (outcome == BACKOFF_RETRY_DEADLINE_EXCEEDED) {
      FUZZ_REQUIRE(reaches_deadline(call, plus(now_ns, facts_.cap_ns)), "deadline exceeded at %" PRId64
                   " with %" PRId64 " to go and a cap of %" PRId64, now_ns, deadline(call) - now_ns, facts_.cap_ns);
    } else if (outcome == BACKOFF_RETRY_BUDGET_EXHAUSTED) {
      const std::int64_t cost = rules_.costs[error_class];
      FUZZ_REQUIRE(call.budget && balance_ < cost, "budget refused a retry costing %" PRId64 " from %" PRId64, cost,
                   balance_);
      ++refused_;
    } else {
      FUZZ_REQUIRE(outcome == BACKOFF_RETRY_CIRCUIT_OPEN && call.breaker, "stopped with outcome %d", outcome);
    }
    call.outcome = outcome;
    return;
  }
  FUZZ_REQUIRE(outcome == BACKOFF_RETRY_PENDING, "a delay with outcome %d", outcome);
  FUZZ_REQUIRE(delay_ns >= 0 && delay_ns <= facts_.cap_ns, "delay %" PRId64 " outside [0, cap %" PRId64 "]", delay_ns,
               facts_.cap_ns);
  FUZZ_REQUIRE(delay_ns >= std::min(hint_ns, facts_.cap_ns), "delay %" PRId64 " under the hint %" PRId64 " (cap %"
               PRId64 ")", delay_ns, hint_ns, facts_.cap_ns);
  FUZZ_REQUIRE(!exhausted, "retry %" PRIu64 " passes max_attempts %" PRId64, call.failures, facts_.max_attempts);
  FUZZ_REQUIRE(!passes_max_elapsed(facts_, call.failures - 1, elapsed(call, now_ns), delay_ns),
               "a delay of %" PRId64 " after %" PRId64 " elapsed passes max_elapsed %" PRId64, delay_ns,
               elapsed(call, now_ns), facts_.max_elapsed_ns);
  FUZZ_REQUIRE(!reaches_deadline(call, plus(now_ns, delay_ns)), "a delay of %" PRId64 " at %" PRId64
               " reaches the deadline %" PRId64, delay_ns, now_ns, deadline(call));
  if (call.budget) {
    const std::int64_t cost = rules_.costs[error_class];
    FUZZ_REQUIRE(balance_ >= cost, "a retry costing %" PRId64 " granted from %" PRId64, cost, balance_);
    balance_ -= cost;
    call.ticket_cost = cost;
    ++granted_;
  }
  call.idle_ns = plus(call.idle_ns, delay_ns);
}

void RetrierRun::on_success(Call& call, std::int64_t now_ns, bool on_clock) {
  const int status = on_clock ? backoff_retrier_on_success(call.handle) : backoff_retrier_on_success_at(call.handle,
                                                           now_ns);
  FUZZ_REQUIRE(status == BACKOFF_OK, "on_success: %d", status);
  if (call.outcome == BACKOFF_RETRY_PENDING) model_success(call);
}

void RetrierRun::model_success(Call& call) {
  call.outcome = BACKOFF_RETRY_SUCCEEDED;
  call.holds_permit = false;
  if (call.budget) deposit(call.ticket_cost >= 0 ? call.ticket_cost : rules_.increment);
  call.ticket_cost = -1;
}

void RetrierRun::on_permanent(Call& call, std::int64_t now_ns, bool on_clock) {
  const int status = on_clock ? backoff_retrier_on_permanent_failure(call.handle)
                              : backoff_retrier_on_permanent_failure_at(call.handle, now_ns);
  FUZZ_REQUIRE(status == BACKOFF_OK, "on_permanent_failure: %d", status);
  if (call.outcome == BACKOFF_RETRY_PENDING) model_permanent(call);
}

void RetrierRun::model_permanent(Call& call) {
  call.outcome = BACKOFF_RETRY_PERMANENT;
  ++call.failures;
  call.holds_permit = false;  // reported as ignored
  call.ticket_cost = -1;      // spent, as for any failed retry
}

void RetrierRun::reset(Call& call, std::int64_t now_ns, bool on_clock) {
  const int status = on_clock ? backoff_retrier_reset(call.handle) : backoff_retrier_reset_at(call.handle, now_ns);
  FUZZ_REQUIRE(status == BACKOFF_OK, "reset: %d", status);
  model_reset(call, now_ns);
  call.cancel_requested = false;
}

// A new call: whatever the old one held goes back; a pending cancellation is the caller's to clear.
void RetrierRun::model_reset(Call& call, std::int64_t now_ns) {
  give_back(call);
  call.outcome = BACKOFF_RETRY_PENDING;
  call.started = false;
  call.failures = 0;
  call.idle_ns = 0;
  call.window_start_ns = call.call_start_ns = now_ns;
}

void RetrierRun::check_call(const Call& call, std::int64_t now_ns) const {
  int outcome = -1;
  std::uint64_t attempts = 0, failures = 0;
  std::int64_t idle_ns = -1, elapsed_ns = -1;
  FUZZ_REQUIRE(backoff_retrier_get_outcome(&outcome, call.handle) == BACKOFF_OK &&
                   backoff_retrier_attempts(&attempts, call.handle) == BACKOFF_OK &&
                   backoff_retrier_failures(&failures, call.handle) == BACKOFF_OK &&
                   backoff_retrier_idle(&idle_ns, call.handle) == BACKOFF_OK &&
                   backoff_retrier_elapsed_at(&elapsed_ns, call.handle, now_ns) == BACKOFF_OK,
               "a getter failed");
  const std::uint64_t expected_attempts = call.failures + (call.outcome == BACKOFF_RETRY_SUCCEEDED);
  FUZZ_REQUIRE(outcome == call.outcome && failures == call.failures && attempts == expected_attempts &&
                   idle_ns == call.idle_ns,
               "outcome %d/%d, failures %" PRIu64 "/%" PRIu64 ", attempts %" PRIu64 "/%" PRIu64 ", idle %" PRId64
               "/%" PRId64, outcome, call.outcome, failures, call.failures, attempts, expected_attempts, idle_ns,
               call.idle_ns);
  FUZZ_REQUIRE(elapsed_ns == elapsed(call, now_ns), "elapsed %" PRId64 ", %" PRId64 " expected (window from %" PRId64
               ", now %" PRId64 ")", elapsed_ns, elapsed(call, now_ns), call.window_start_ns, now_ns);
}

// Every permit the breaker handed out is reported, released or held by a retrier; every token the budget
// lacks is held by a retrier's ticket or was spent by a failed retry, as the model counts.
void RetrierRun::check_settled(std::int64_t now_ns) const {
  if (breaker_ != nullptr) {
    std::uint64_t counts[7] = {};
    for (int which = 0; which < 7; ++which) {
      FUZZ_REQUIRE(backoff_breaker_get_count_at(&counts[which], breaker_, now_ns, which) == BACKOFF_OK, "get_count");
    }
    const std::uint64_t settled = counts[BACKOFF_BREAKER_COUNT_SUCCESSES] + counts[BACKOFF_BREAKER_COUNT_FAILURES] +
                                  counts[BACKOFF_BREAKER_COUNT_IGNORED] + counts[BACKOFF_BREAKER_COUNT_RELEASED] +
                                  counts[BACKOFF_BREAKER_COUNT_STALE];
    std::uint64_t held = 0;
    for (const Call& call : calls_) held += call.holds_permit;
    FUZZ_REQUIRE(counts[BACKOFF_BREAKER_COUNT_ADMITTED] == settled + held,
                 "admitted %" PRIu64 ", settled %" PRIu64 ", held by the retriers %" PRIu64,
                 counts[BACKOFF_BREAKER_COUNT_ADMITTED], settled, held);
  }
  if (budget_ != nullptr) {
    std::int64_t balance = -1;
    std::uint64_t granted = 0, refused = 0;
    FUZZ_REQUIRE(backoff_budget_balance_at(&balance, budget_, now_ns) == BACKOFF_OK &&
                     backoff_budget_get_count(&granted, budget_, BACKOFF_BUDGET_COUNT_GRANTED) == BACKOFF_OK &&
                     backoff_budget_get_count(&refused, budget_, BACKOFF_BUDGET_COUNT_REFUSED) == BACKOFF_OK,
                 "budget getters failed");
    FUZZ_REQUIRE(balance == balance_ && granted == granted_ && refused == refused_,
                 "balance %" PRId64 "/%" PRId64 ", granted %" PRIu64 "/%" PRIu64 ", refused %" PRIu64 "/%" PRIu64,
                 balance, balance_, granted, granted_, refused, refused_);
  }
}

// ----- backoff_retrier_run(): the same call, its loop the library's -----

// One backoff_retrier_run() on one retrier. The operation, the hooks and the sleep follow the input and
// tell the model what the loop did between them: an attempt went ahead, how it ended, which delay was
// decided, whether the call was cancelled.
struct RunContext {
  RetrierRun* run;
  Call* call;
  FuzzInput* input;
  int attempts = 0;
  int last_attempt = BACKOFF_ATTEMPT_NONE;
  bool decision_pending = false;  // a retryable failure awaits the loop's decision
  int error_class = 0;
  std::int64_t hint_ns = 0, failed_at_ns = 0, delay_ns = -1;
  int rejected = BACKOFF_OK;  // the status of an attempt the loop must refuse (unknown result, negative hint)
  int success_hooks = 0, giveup_hooks = 0, giveup_status = 0;
  std::uint64_t hook_attempts = 0;

  static int op(int64_t* out_hint_ns, void* user_data);
  static int before_sleep(uint64_t failures, int64_t delay_ns, void* user_data);
  static int sleep(int64_t delay_ns, void* user_data);
  static int on_success(uint64_t attempts, void* user_data) {
    auto& self = *static_cast<RunContext*>(user_data);
    ++self.success_hooks;
    self.hook_attempts = attempts;
    return 0;
  }
  static int on_giveup(int status, uint64_t attempts, void* user_data) {
    auto& self = *static_cast<RunContext*>(user_data);
    ++self.giveup_hooks;
    self.giveup_status = status;
    self.hook_attempts = attempts;
    return 0;
  }
  // The retry decided will not run: the call ends cancelled and gives back its ticket.
  int cancel_retry() {
    call->outcome = BACKOFF_RETRY_CANCELLED;
    run->give_back(*call);
    return 1;
  }
};

int RunContext::op(int64_t* out_hint_ns, void* user_data) {
  auto& self = *static_cast<RunContext*>(user_data);
  RetrierRun& run = *self.run;
  Call& call = *self.call;
  FuzzInput& input = *self.input;
  FUZZ_REQUIRE(!self.decision_pending && call.outcome == BACKOFF_RETRY_PENDING, "an attempt after the call ended");
  FUZZ_REQUIRE(!run.reaches_deadline(call, run.clock_->now_ns), "an attempt at %" PRId64 ", past the deadline %"
               PRId64, run.clock_->now_ns, run.deadline(call));
  call.holds_permit = call.breaker;  // the attempt went ahead: it holds a permit
  call.started = true;
  if (input.below(8) == 0) {  // from inside a callback, the retrier answers only getters and cancel
    std::int64_t wait_ns = 0;
    std::uint64_t failures = 0;
    FUZZ_REQUIRE(backoff_retrier_before_attempt(&wait_ns, call.handle) == BACKOFF_EREENTRANT &&
                     backoff_retrier_reset(call.handle) == BACKOFF_EREENTRANT &&
                     backoff_retrier_failures(&failures, call.handle) == BACKOFF_OK && failures == call.failures,
                 "re-entry from op: failures %" PRIu64 "/%" PRIu64, failures, call.failures);
  }
  if (input.below(16) == 0) {
    FUZZ_REQUIRE(backoff_retrier_cancel(call.handle) == BACKOFF_OK, "cancel from op");
    call.cancel_requested = true;
  }
  run.clock_->now_ns = plus(run.clock_->now_ns, std::int64_t{input.byte()} * 1'000'000);  // the attempt takes time
  static const int kResults[] = {BACKOFF_ATTEMPT_SUCCESS, BACKOFF_ATTEMPT_RETRYABLE, BACKOFF_ATTEMPT_PERMANENT,
                                 BACKOFF_ATTEMPT_TIMEOUT, BACKOFF_ATTEMPT_THROTTLED, BACKOFF_ATTEMPT_RETRYABLE, 7};
  const int result = ++self.attempts > 24 ? BACKOFF_ATTEMPT_SUCCESS : kResults[input.below(input.below(8) ? 6 : 7)];
  const std::int64_t hint_ns = input.below(16) == 0 ? input.edgy_i64() : input.flag() ? 0 : std::int64_t{input.byte()} * 10'000'000;
  *out_hint_ns = hint_ns;
  self.last_attempt = result;
  const bool retryable = result == BACKOFF_ATTEMPT_RETRYABLE || result == BACKOFF_ATTEMPT_TIMEOUT ||
                         result == BACKOFF_ATTEMPT_THROTTLED;
  if (result == BACKOFF_ATTEMPT_SUCCESS) {
    run.model_success(call);
  } else if (result == BACKOFF_ATTEMPT_PERMANENT || !retryable || hint_ns < 0) {
    // A broken contract (an unknown result, a negative hint) ends the call as a permanent failure.
    if (!retryable && result != BACKOFF_ATTEMPT_PERMANENT) self.rejected = BACKOFF_EUNKNOWN;
    if (retryable) self.rejected = BACKOFF_EINVAL;
    run.model_permanent(call);
  } else {
    run.model_failure(call, run.clock_->now_ns);
    self.decision_pending = true;
    self.error_class = result == BACKOFF_ATTEMPT_TIMEOUT     ? BACKOFF_ERROR_TIMEOUT
                       : result == BACKOFF_ATTEMPT_THROTTLED ? BACKOFF_ERROR_THROTTLING
                                                             : BACKOFF_ERROR_ORDINARY;
    self.hint_ns = hint_ns;
    self.failed_at_ns = run.clock_->now_ns;
  }
  return result;
}

int RunContext::before_sleep(uint64_t failures, int64_t delay_ns, void* user_data) {
  auto& self = *static_cast<RunContext*>(user_data);
  Call& call = *self.call;
  FUZZ_REQUIRE(self.decision_pending && failures == call.failures, "before_sleep(%" PRIu64 ") after %" PRIu64
               " failures", failures, call.failures);
  self.run->model_decision(call, self.error_class, self.hint_ns, self.failed_at_ns, delay_ns, BACKOFF_RETRY_PENDING);
  self.decision_pending = false;
  self.delay_ns = delay_ns;
  FuzzInput& input = *self.input;
  if (input.below(12) == 0) return self.cancel_retry();
  if (input.below(16) == 0) {
    FUZZ_REQUIRE(backoff_retrier_cancel(call.handle) == BACKOFF_OK, "cancel from before_sleep");
    call.cancel_requested = true;
  }
  return 0;
}

int RunContext::sleep(int64_t delay_ns, void* user_data) {
  auto& self = *static_cast<RunContext*>(user_data);
  FUZZ_REQUIRE(delay_ns == self.delay_ns, "slept %" PRId64 " after before_sleep said %" PRId64, delay_ns, self.delay_ns);
  FuzzClock& clock = *self.run->clock_;
  clock.now_ns = plus(clock.now_ns, self.input->below(8) == 0 ? std::int64_t{self.input->byte()} : delay_ns);
  if (self.input->below(12) == 0) return self.cancel_retry();
  return 0;
}

void RetrierRun::run_call(Call& call, FuzzInput& input) {
  RunContext context{this, &call, &input};
  FUZZ_REQUIRE(backoff_retrier_set_sleep(call.handle, &RunContext::sleep, &context) == BACKOFF_OK &&
                   backoff_retrier_set_before_sleep(call.handle, &RunContext::before_sleep, &context) == BACKOFF_OK &&
                   backoff_retrier_set_on_success(call.handle, &RunContext::on_success, &context) == BACKOFF_OK &&
                   backoff_retrier_set_on_giveup(call.handle, &RunContext::on_giveup, &context) == BACKOFF_OK,
               "setting the callbacks failed");
  model_reset(call, clock_->now_ns);  // a run starts a new call, on the retrier's clock; a cancellation stays
  int op_status = -9;
  const int status = backoff_retrier_run(&op_status, call.handle, &RunContext::op, &context);
  if (context.decision_pending) {  // the loop stopped after the last failure
    int outcome = -1;
    FUZZ_REQUIRE(backoff_retrier_get_outcome(&outcome, call.handle) == BACKOFF_OK, "get_outcome failed");
    model_decision(call, context.error_class, context.hint_ns, context.failed_at_ns, BACKOFF_STOP, outcome);
  } else if (call.outcome == BACKOFF_RETRY_PENDING) {  // stopped before an attempt: refused or cancelled
    const bool late = reaches_deadline(call, clock_->now_ns) && !call.cancel_requested;
    FUZZ_REQUIRE(late ? status == BACKOFF_EDEADLINE
                      : status == BACKOFF_ECANCELED || (status == BACKOFF_EOPEN && call.breaker),
                 "run ended before an attempt with %d (past the deadline: %d)", status, late);
    call.outcome = status == BACKOFF_EOPEN       ? BACKOFF_RETRY_CIRCUIT_OPEN
                   : status == BACKOFF_EDEADLINE ? BACKOFF_RETRY_DEADLINE_EXCEEDED
                                                 : BACKOFF_RETRY_CANCELLED;
    give_back(call);
  }
  static const int kStatusOf[] = {BACKOFF_OK, BACKOFF_OK, BACKOFF_EGAVEUP, BACKOFF_EPERMANENT, BACKOFF_EBUDGET,
                                  BACKOFF_EOPEN, BACKOFF_ECANCELED, BACKOFF_EDEADLINE};
  const int expected = context.rejected != BACKOFF_OK ? context.rejected : kStatusOf[call.outcome];
  FUZZ_REQUIRE(status == expected && op_status == context.last_attempt, "run: %d (op %d), %d expected (op %d)",
               status, op_status, expected, context.last_attempt);
  const std::uint64_t attempts = call.failures + (call.outcome == BACKOFF_RETRY_SUCCEEDED);
  if (context.rejected != BACKOFF_OK) {
    FUZZ_REQUIRE(context.success_hooks + context.giveup_hooks == 0, "a hook ran for a broken contract");
  } else if (status == BACKOFF_OK) {
    FUZZ_REQUIRE(context.success_hooks == 1 && context.giveup_hooks == 0 && context.hook_attempts == attempts,
                 "on_success %d times, on_giveup %d times, attempts %" PRIu64, context.success_hooks,
                 context.giveup_hooks, context.hook_attempts);
  } else {
    FUZZ_REQUIRE(context.giveup_hooks == 1 && context.success_hooks == 0 && context.giveup_status == status &&
                     context.hook_attempts == attempts,
                 "on_giveup %d times (status %d), on_success %d times, attempts %" PRIu64 "/%" PRIu64,
                 context.giveup_hooks, context.giveup_status, context.success_hooks, context.hook_attempts, attempts);
  }
  // The hooks point at this frame: take them away before it goes.
  backoff_retrier_set_sleep(call.handle, nullptr, nullptr);
  backoff_retrier_set_before_sleep(call.handle, nullptr, nullptr);
  backoff_retrier_set_on_success(call.handle, nullptr, nullptr);
  backoff_retrier_set_on_giveup(call.handle, nullptr, nullptr);
}

void RetrierRun::run(FuzzInput& input) {
  for (int steps = 0; steps < 256 && !input.empty(); ++steps) {
    const std::int64_t now = next_time(input);
    const bool on_clock = step_to(input, now, clock_, &latest_ns_);
    Call& call = calls_[input.below(kRetriers)];
    switch (input.below(11)) {
      case 0: case 1: before_attempt(call, now, on_clock); break;
      case 2: case 3: case 4: on_failure(call, input, now, on_clock); break;
      case 5: on_success(call, now, on_clock); break;
      case 6: on_permanent(call, now, on_clock); break;
      case 7:
        FUZZ_REQUIRE(backoff_retrier_cancel(call.handle) == BACKOFF_OK, "cancel failed");
        call.cancel_requested = true;
        break;
      case 8:
        if (input.below(4) == 0) {
          set_deadline(call, input);
        } else {
          reset(call, now, on_clock);
        }
        break;
      case 9: run_call(call, input); break;
      default:
        // A manual transition (isolate, reset, disable...): permits it outdates still count as settled.
        if (breaker_ != nullptr) {
          const int status = backoff_breaker_transition_at(breaker_, now, static_cast<int>(input.below(5)));
          FUZZ_REQUIRE(status == BACKOFF_OK || status == BACKOFF_EINVAL || status == BACKOFF_EUNKNOWN,
                       "transition: %d", status);
        }
        break;
    }
    latest_ns_ = std::max(latest_ns_, clock_->now_ns);  // a run's attempts and sleeps move the clock on
    check_call(call, clock_->now_ns);
    check_settled(clock_->now_ns);
  }
}

// Freeing a retrier gives back what its call holds; then nothing may be left unsettled.
void RetrierRun::finish() {
  for (Call& call : calls_) {
    backoff_retrier_free(call.handle);
    call.handle = nullptr;
    if (call.outcome == BACKOFF_RETRY_PENDING) give_back(call);
  }
  check_settled(latest_ns_);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput input(data, size);
  backoff_policy* policy = make_policy(input);
  if (policy == nullptr) return 0;
  FuzzClock clock;
  clock.now_ns = input.edgy_i64();
  BudgetRules rules;
  backoff_breaker* breaker = input.flag() ? make_breaker(input, &clock) : nullptr;
  backoff_budget* budget = input.flag() ? make_budget(input, &clock, &rules) : nullptr;
  {
    RetrierRun run(policy, breaker, budget, rules, &clock, input);
    backoff_policy_free(policy);  // each retrier keeps its own copy
    run.run(input);
    run.finish();
  }
  backoff_breaker_free(breaker);
  backoff_budget_free(budget);
  return 0;
}
