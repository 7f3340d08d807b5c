// Fuzz target: a retry budget of each calibration (AWS, gRPC, Finagle) with arbitrary parameters, then
// arbitrary call sequences on it and on a budget pool at arbitrary times.
//
// The budget is configured by id and by name, with parameters of its own calibration mostly and of the
// others now and then (which backoff_budget_new() must refuse). Then up to 256 calls of record_request,
// record_failure, withdraw, record_success, refund and the getters run, with times that creep, jump or
// go backwards, through the `_at` forms and the injected clock. The checks are backoff.h's:
//   - AWS and gRPC balances stay within [0, capacity] (CAPACITY, MAX_TOKENS), and follow the documented
//     rule of each call exactly, tokens rounded to the nearest milli-token;
//   - a withdrawal passes exactly when the balance allows it (AWS, Finagle: the cost is there; gRPC: the
//     balance is above half of max_tokens), and a refused one changes no balance;
//   - a refund gives back exactly what its withdrawal took, capped at the capacity, once per ticket;
//   - GRANTED and REFUSED count the withdrawals;
//   - Finagle's deposits and withdrawals all expire: a ttl after the last call the balance is back to the
//     reserve it started with;
//   - a pool never holds more than max_keys budgets, drops the one used least recently, and two handles
//     to one key share one budget.
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <list>
#include <string>
#include <vector>

#include "backoff.h"
#include "fuzz_check.hpp"
#include "fuzz_config_steps.hpp"
#include "fuzz_input.hpp"
#include "fuzz_time.hpp"

using namespace backoff_fuzz;

namespace {

constexpr int kParams = 11;  // BACKOFF_BUDGET_PARAM_CALIBRATION .. TTL_NS

// "Tokens are doubles, rounded to the nearest milli-token."
std::int64_t milli(double tokens) { return std::llround(tokens * 1000.0); }

// The parameters of each calibration, as the table of backoff.h assigns them.
bool belongs_to(int param, int calibration) {
  switch (calibration) {
    case BACKOFF_BUDGET_AWS: return param >= BACKOFF_BUDGET_PARAM_CAPACITY && param <= BACKOFF_BUDGET_PARAM_NO_RETRY_INCREMENT;
    case BACKOFF_BUDGET_GRPC: return param == BACKOFF_BUDGET_PARAM_MAX_TOKENS || param == BACKOFF_BUDGET_PARAM_TOKEN_RATIO;
    default: return param >= BACKOFF_BUDGET_PARAM_PERCENT_CAN_RETRY && param <= BACKOFF_BUDGET_PARAM_TTL_NS;
  }
}

std::string value_text(FuzzInput& input) {
  static const char* const kWords[] = {"aws", "grpc", "finagle", "0", "0.001", "0.5", "1", "1e12", "1e13", "-1", "nan"};
  static const char* const kUnits[] = {"", "ns", "ms", "s", "h"};
  return value_text(input, kWords, kUnits);
}

// Sets the calibration, then arbitrary parameters; returns the calibration set (AWS, the default, if none
// was accepted) and whether a parameter of another calibration was accepted.
int configure(FuzzInput& input, backoff_budget_config* config, bool* foreign) {
  const int calibration = static_cast<int>(input.below(3));
  const char* const kCalibrations[] = {"aws", "grpc", "finagle"};
  const int status = input.flag() ? backoff_budget_config_set_i64(config, BACKOFF_BUDGET_PARAM_CALIBRATION,
                                                                  calibration)
                                  : backoff_budget_config_set_text(config, "calibration", kCalibrations[calibration]);
  FUZZ_REQUIRE(status == BACKOFF_OK, "calibration %d refused: %d", calibration, status);
  *foreign = false;
  for (std::uint32_t steps = input.below(10); steps != 0; --steps) {
    // Mostly a parameter of this calibration; one in eight steps any id at all.
    int param = input.below(8) == 0 ? static_cast<int>(input.below(kParams + 2)) - 1
                                    : 1 + static_cast<int>(input.below(kParams - 1));
    // The calibration was chosen above; changing it here would make every other step foreign.
    if (param == BACKOFF_BUDGET_PARAM_CALIBRATION) continue;
    if (input.below(8) != 0 && !belongs_to(param, calibration)) continue;
    int result;
    switch (input.below(3)) {
      case 0: result = backoff_budget_config_set_i64(config, param, input.edgy_i64()); break;
      case 1: result = backoff_budget_config_set_f64(config, param, input.edgy_f64()); break;
      default: {
        const char* name = backoff_budget_param_name(param);
        const std::string text = value_text(input);
        result = backoff_budget_config_set_text(config, name ? name : "no_such_param", text.c_str());
        break;
      }
    }
    check_setter_status(result);
    *foreign |= result == BACKOFF_OK && !belongs_to(param, calibration);
  }
  return calibration;
}

struct Ticket {
  std::uint64_t ticket;
  std::int64_t cost;  // what the withdrawal took from the balance
};

class BudgetRun {
 public:
  BudgetRun(backoff_budget* budget, FuzzClock* clock, int calibration);
  ~BudgetRun() { backoff_budget_free(budget_); }
  void run(FuzzInput& input, backoff_budget_pool* pool, std::int64_t max_keys);
  void check_everything_expires();

 private:
  double real(int param) const;
  std::int64_t balance(std::int64_t now_ns) const;
  std::int64_t next_time(FuzzInput& input) const;
  std::int64_t deposited(std::int64_t before, std::int64_t amount) const;
  void withdraw(FuzzInput& input, std::int64_t now_ns, bool on_clock);
  void settle_ticket(FuzzInput& input, std::int64_t now_ns, bool on_clock);
  void check_range(std::int64_t now_ns) const;
  void use_pool(FuzzInput& input, backoff_budget_pool* pool, std::int64_t max_keys, std::int64_t now_ns);

  backoff_budget* budget_;
  FuzzClock* clock_;
  int calibration_;
  std::int64_t capacity_ = kMaxNs;  // Finagle's bucket has no documented capacity
  std::int64_t costs_[3] = {0, 0, 0};
  std::int64_t success_credit_ = 0;  // AWS: a first attempt's success; gRPC: any success
  std::int64_t request_credit_ = 0;  // Finagle
  std::int64_t ttl_ns_ = 0;
  std::int64_t reserve_;
  std::int64_t latest_ns_;
  bool monotonic_ = true;  // no call so far went back in time
  std::uint64_t granted_ = 0, refused_ = 0;
  std::vector<Ticket> held_;
  std::list<std::string> pool_keys_;  // most recent first, as the pool keeps them
};

BudgetRun::BudgetRun(backoff_budget* budget, FuzzClock* clock, int calibration)
    : budget_(budget), clock_(clock), calibration_(calibration), latest_ns_(clock->now_ns) {
  std::int64_t read = -1;
  FUZZ_REQUIRE(backoff_budget_get_i64(&read, budget_, BACKOFF_BUDGET_PARAM_CALIBRATION) == BACKOFF_OK &&
                   read == calibration, "calibration %" PRId64 ", set %d", read, calibration);
  switch (calibration) {
    case BACKOFF_BUDGET_AWS:
      capacity_ = milli(real(BACKOFF_BUDGET_PARAM_CAPACITY));
      costs_[BACKOFF_ERROR_ORDINARY] = milli(real(BACKOFF_BUDGET_PARAM_RETRY_COST));
      costs_[BACKOFF_ERROR_TIMEOUT] = milli(real(BACKOFF_BUDGET_PARAM_TIMEOUT_COST));
      costs_[BACKOFF_ERROR_THROTTLING] = milli(real(BACKOFF_BUDGET_PARAM_THROTTLING_COST));
      success_credit_ = milli(real(BACKOFF_BUDGET_PARAM_NO_RETRY_INCREMENT));
      for (const std::int64_t cost : costs_) FUZZ_REQUIRE(cost >= 0 && cost <= capacity_, "cost %" PRId64, cost);
      break;
    case BACKOFF_BUDGET_GRPC:
      capacity_ = milli(real(BACKOFF_BUDGET_PARAM_MAX_TOKENS));
      success_credit_ = milli(real(BACKOFF_BUDGET_PARAM_TOKEN_RATIO));
      break;
    default:
      costs_[0] = costs_[1] = costs_[2] = 1000;  // a retry takes one token
      request_credit_ = milli(real(BACKOFF_BUDGET_PARAM_PERCENT_CAN_RETRY));
      FUZZ_REQUIRE(backoff_budget_get_i64(&ttl_ns_, budget_,
                                          BACKOFF_BUDGET_PARAM_TTL_NS) == BACKOFF_OK && ttl_ns_ > 0,
                   "ttl %" PRId64, ttl_ns_);
      break;
  }
  // A capacity under half a milli-token rounds to an empty bucket: allowed by the domain (0, 1e12].
  FUZZ_REQUIRE(capacity_ >= 0, "capacity %" PRId64, capacity_);
  reserve_ = balance(latest_ns_);
  // Full (AWS, gRPC) or holding its reserve (Finagle).
  FUZZ_REQUIRE(calibration == BACKOFF_BUDGET_FINAGLE ? reserve_ >= 0 : reserve_ == capacity_,
               "a new budget holds %" PRId64 " of %" PRId64, reserve_, capacity_);
}

double BudgetRun::real(int param) const {
  double value = std::nan("");
  FUZZ_REQUIRE(backoff_budget_get_f64(&value, budget_, param) == BACKOFF_OK, "get_f64(%d) failed", param);
  return value;
}

std::int64_t BudgetRun::balance(std::int64_t now_ns) const {
  std::int64_t milli_tokens = -7;
  FUZZ_REQUIRE(backoff_budget_balance_at(&milli_tokens, budget_, now_ns) == BACKOFF_OK, "balance_at failed");
  return milli_tokens;
}

std::int64_t BudgetRun::next_time(FuzzInput& input) const {
  switch (input.below(6)) {
    case 0: return latest_ns_;
    case 1: return plus(latest_ns_, std::int64_t{input.byte()} * 1'000'000);
    case 2: {  // a tenth of a ttl at a time, up to a ttl and more
      std::int64_t step;
      return __builtin_mul_overflow(ttl_ns_ / 10, std::int64_t{input.below(12)}, &step) ? kMaxNs : plus(latest_ns_, step);
    }
    case 3: return plus(latest_ns_, input.edgy_i64());
    case 4: return plus(latest_ns_, -std::int64_t{input.byte()} * 1'000'000);
    default: return input.edgy_i64();
  }
}

// The balance a deposit of `amount` leaves: never above the capacity.
std::int64_t BudgetRun::deposited(std::int64_t before, std::int64_t amount) const {
  return before > capacity_ - amount ? std::max(before, capacity_) : before + amount;
}

void BudgetRun::withdraw(FuzzInput& input, std::int64_t now_ns, bool on_clock) {
  const int error_class = static_cast<int>(input.below(4));  // 3 is no class
  const std::int64_t before = balance(now_ns);
  std::uint64_t ticket = 7;
  const int status = on_clock ? backoff_budget_withdraw(&ticket, budget_, error_class)
                              : backoff_budget_withdraw_at(&ticket, budget_, now_ns, error_class);
  const std::int64_t after = balance(now_ns);
  if (error_class > BACKOFF_ERROR_THROTTLING) {
    FUZZ_REQUIRE(status == BACKOFF_EUNKNOWN && after == before, "error class %d: %d", error_class, status);
    return;
  }
  const std::int64_t cost = costs_[error_class];
  const bool allowed = calibration_ == BACKOFF_BUDGET_GRPC ? 2 * before > capacity_ : before >= cost;
  if (status == BACKOFF_EBUDGET) {
    ++refused_;
    FUZZ_REQUIRE(!allowed && ticket == 0 && after == before,
                 "refused a withdrawal of %" PRId64 " from %" PRId64 " (now %" PRId64 ", ticket %" PRIu64 ")", cost,
                 before, after, ticket);
    return;
  }
  ++granted_;
  FUZZ_REQUIRE(status == BACKOFF_OK && allowed && ticket != 0, "withdrawal of %" PRId64 " from %" PRId64 ": %d",
               cost, before, status);
  // Going back in time may expire an old ledger bucket inside the call (Finagle), so only forward.
  if (monotonic_) {
    FUZZ_REQUIRE(after == before - cost, "a withdrawal of %" PRId64 " took %" PRId64 " to %" PRId64, cost, before, after);
  }
  held_.push_back({ticket, cost});
}

// record_success with a held ticket or 0, or refund of a held ticket or 0; each ticket once.
void BudgetRun::settle_ticket(FuzzInput& input, std::int64_t now_ns, bool on_clock) {
  Ticket ticket{0, 0};
  if (!held_.empty() && input.below(4) != 0) {
    const std::size_t index = input.below(static_cast<std::uint32_t>(std::min<std::size_t>(held_.size(), 256)));
    ticket = held_[index];
    held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(index));
  }
  const bool success = input.flag();
  const std::int64_t before = balance(now_ns);
  int status;
  if (success) {
    status = on_clock ? backoff_budget_record_success(budget_, ticket.ticket)
                      : backoff_budget_record_success_at(budget_, now_ns, ticket.ticket);
  } else {
    status = on_clock ? backoff_budget_refund(budget_, ticket.ticket)
                      : backoff_budget_refund_at(budget_, now_ns, ticket.ticket);
  }
  FUZZ_REQUIRE(status == BACKOFF_OK, "%s: %d: %s", success ? "record_success" : "refund", status, backoff_last_error());
  const std::int64_t after = balance(now_ns);
  std::int64_t credit = ticket.cost;  // a refund, and AWS's success of a retry, give the cost back
  if (!success && ticket.ticket == 0) credit = 0;
  if (success && calibration_ == BACKOFF_BUDGET_GRPC) credit = success_credit_;
  if (success && calibration_ == BACKOFF_BUDGET_AWS && ticket.ticket == 0) credit = success_credit_;
  if (success && calibration_ == BACKOFF_BUDGET_FINAGLE) credit = 0;
  if (monotonic_) {
    FUZZ_REQUIRE(after == deposited(before, credit), "%s of ticket costing %" PRId64 ": %" PRId64 " -> %" PRId64
                 " (credit %" PRId64 ")", success ? "success" : "refund", ticket.cost, before, after, credit);
  }
}

void BudgetRun::check_range(std::int64_t now_ns) const {
  const std::int64_t milli_tokens = balance(now_ns);
  if (calibration_ != BACKOFF_BUDGET_FINAGLE) {
    FUZZ_REQUIRE(milli_tokens >= 0 && milli_tokens <= capacity_, "balance %" PRId64 " outside [0, %" PRId64 "]",
                 milli_tokens, capacity_);
  }
  std::uint64_t granted = 0, refused = 0, unknown = 0;
  FUZZ_REQUIRE(backoff_budget_get_count(&granted, budget_, BACKOFF_BUDGET_COUNT_GRANTED) == BACKOFF_OK &&
                   backoff_budget_get_count(&refused, budget_, BACKOFF_BUDGET_COUNT_REFUSED) == BACKOFF_OK &&
                   backoff_budget_get_count(&unknown, budget_, 2) == BACKOFF_EUNKNOWN,
               "get_count failed");
  FUZZ_REQUIRE(granted == granted_ && refused == refused_, "granted %" PRIu64 "/%" PRIu64 ", refused %" PRIu64
               "/%" PRIu64, granted, granted_, refused, refused_);
}

// A pool's budgets follow the same config; the pool keeps at most max_keys of them, least recent out.
void BudgetRun::use_pool(FuzzInput& input, backoff_budget_pool* pool, std::int64_t max_keys, std::int64_t now_ns) {
  const std::string key = input.flag() ? "host-" + std::to_string(input.below(12)) : input.text().c_str();
  backoff_budget* first = nullptr;
  backoff_budget* second = nullptr;
  FUZZ_REQUIRE(backoff_budget_pool_get(&first, pool, key.c_str()) == BACKOFF_OK && first, "pool_get failed");
  std::uint64_t ticket = 0;
  const int status = backoff_budget_withdraw_at(&ticket, first, now_ns, static_cast<int>(input.below(3)));
  FUZZ_REQUIRE(status == BACKOFF_OK || status == BACKOFF_EBUDGET, "withdraw from a pool budget: %d", status);
  FUZZ_REQUIRE(backoff_budget_pool_get(&second, pool, key.c_str()) == BACKOFF_OK && second, "pool_get failed");
  std::int64_t a = -1, b = -2;
  backoff_budget_balance_at(&a, first, now_ns);
  backoff_budget_balance_at(&b, second, now_ns);
  FUZZ_REQUIRE(a == b, "two handles to key '%s' hold %" PRId64 " and %" PRId64, key.c_str(), a, b);
  if (calibration_ != BACKOFF_BUDGET_FINAGLE) {
    FUZZ_REQUIRE(a >= 0 && a <= capacity_, "pool budget holds %" PRId64 " of %" PRId64, a, capacity_);
  }
  backoff_budget_free(first);
  backoff_budget_free(second);

  const auto known = std::find(pool_keys_.begin(), pool_keys_.end(), key);
  if (known != pool_keys_.end()) {
    pool_keys_.erase(known);
  } else if (static_cast<std::int64_t>(pool_keys_.size()) == max_keys) {
    pool_keys_.pop_back();
  }
  pool_keys_.push_front(key);
  std::int64_t size = -1;
  FUZZ_REQUIRE(backoff_budget_pool_size(&size, pool) == BACKOFF_OK && size <= max_keys &&
                   size == static_cast<std::int64_t>(pool_keys_.size()),
               "pool of %" PRId64 " keys holds %" PRId64 ", %zu expected", max_keys, size, pool_keys_.size());
}

void BudgetRun::run(FuzzInput& input, backoff_budget_pool* pool, std::int64_t max_keys) {
  for (int calls = 0; calls < 256 && !input.empty(); ++calls) {
    const std::int64_t now = next_time(input);
    monotonic_ &= now >= latest_ns_;
    const bool on_clock = step_to(input, now, clock_, &latest_ns_);
    switch (input.below(8)) {
      case 0: {
        const std::int64_t before = balance(now);
        FUZZ_REQUIRE((on_clock ? backoff_budget_record_request(budget_) : backoff_budget_record_request_at(budget_,
                                                               now)) ==
                         BACKOFF_OK, "record_request failed");
        if (monotonic_) {
          FUZZ_REQUIRE(balance(now) == deposited(before, request_credit_), "record_request: %" PRId64 " -> %" PRId64,
                       before, balance(now));
        }
        break;
      }
      case 1: {
        const std::int64_t before = balance(now);
        FUZZ_REQUIRE(backoff_budget_record_failure(budget_) == BACKOFF_OK, "record_failure failed");
        const std::int64_t expected = calibration_ != BACKOFF_BUDGET_GRPC ? before : std::max<std::int64_t>(0, before - 1000);
        FUZZ_REQUIRE(balance(now) == expected, "record_failure: %" PRId64 " -> %" PRId64, before, balance(now));
        break;
      }
      case 2: case 3: withdraw(input, now, on_clock); break;
      case 4: case 5: settle_ticket(input, now, on_clock); break;
      case 6:
        if (pool) use_pool(input, pool, max_keys, now);
        break;
      default: {
        std::int64_t on_clock_balance = -7;
        FUZZ_REQUIRE(backoff_budget_balance(&on_clock_balance, budget_) == BACKOFF_OK &&
                         on_clock_balance == balance(now), "balance on the clock differs from balance_at");
        break;
      }
    }
    check_range(now);
    // A read settles the ledger at its time too: it counts as a time the budget has seen.
    const std::int64_t read_at = input.edgy_i64();
    check_range(read_at);
    monotonic_ &= read_at <= latest_ns_;
    latest_ns_ = std::max(latest_ns_, read_at);
  }
}

// Finagle: a ttl (and a bucket) after the latest time the budget has seen, every deposit and withdrawal
// has expired. (Measured from the latest time, not the last call's: after a call at a later time, a
// deposit at an earlier one lasts until a ttl after that later time.)
void BudgetRun::check_everything_expires() {
  if (calibration_ != BACKOFF_BUDGET_FINAGLE) return;
  // Two ttls, plus a microsecond for whole-nanosecond ledger buckets: a 2 ns ttl lasts a few ns more.
  const std::int64_t later = plus(plus(latest_ns_, ttl_ns_), plus(ttl_ns_, 1'000));
  if (later == kMaxNs) return;
  FUZZ_REQUIRE(balance(later) == reserve_, "a ttl after the last call the balance is %" PRId64 ", reserve %" PRId64,
               balance(later), reserve_);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput input(data, size);
  backoff_budget_config* config = new_config(backoff_budget_config_new);
  bool foreign = false;
  const int calibration = configure(input, config, &foreign);
  FuzzClock clock;
  clock.now_ns = input.edgy_i64();
  backoff_budget* budget = nullptr;
  const int status = backoff_budget_new_with_clock(&budget, config, &FuzzClock::read, &clock);
  if (status != BACKOFF_OK) {
    // Refused only for a parameter of another calibration, or an AWS cost above the capacity.
    FUZZ_REQUIRE(status == BACKOFF_EINVAL && budget == nullptr && (foreign || calibration == BACKOFF_BUDGET_AWS),
                 "budget_new: %d (foreign parameter: %d)", status, foreign);
    backoff_budget_config_free(config);
    return 0;
  }
  FUZZ_REQUIRE(!foreign, "budget_new accepted a parameter of another calibration");
  backoff_budget_pool* pool = nullptr;
  const std::int64_t max_keys = input.flag() ? 1 + input.below(8) : input.edgy_i64();
  const int pool_status = backoff_budget_pool_new_with_clock(&pool, config, max_keys, &FuzzClock::read, &clock);
  const bool max_keys_valid = max_keys >= 1 && max_keys <= (std::int64_t{1} << 20);
  FUZZ_REQUIRE(pool_status == (max_keys_valid ? BACKOFF_OK : BACKOFF_EINVAL), "pool_new(%" PRId64 "): %d", max_keys,
               pool_status);
  backoff_budget_config_free(config);  // the budget and the pool keep their own copies
  {
    BudgetRun run(budget, &clock, calibration);
    run.run(input, pool, max_keys);
    run.check_everything_expires();
  }
  backoff_budget_pool_free(pool);
  return 0;
}
