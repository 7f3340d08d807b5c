#include "backoff/budget.hpp"

#include <algorithm>
#include <string>

#include "backoff/lazy_now.hpp"
#include "backoff/saturating.hpp"
#include "backoff/status.hpp"
#include "shared_shape.hpp"

namespace backoff {
namespace {

// Finagle's reserve and every other amount stay under this bound (kMaxTokens tokens), so no sum of a few
// of them can overflow int64.
constexpr std::int64_t kMaxMilli = static_cast<std::int64_t>(kMaxTokens) * 1000;

Budget::Rules rules_for(const BudgetConfig& config) {
  config.validate();
  switch (config.calibration) {
    case Calibration::aws: {
      const std::int64_t capacity = milli_tokens(config.capacity);
      return {capacity, capacity, 0,
              {milli_tokens(config.retry_cost), milli_tokens(config.timeout_cost), milli_tokens(config.throttling_cost)},
              0, 0, milli_tokens(config.no_retry_increment), true};
    }
    case Calibration::grpc: {
      // gRFC A6: each failure takes one token, each success adds token_ratio, and retries stop while the
      // count is at or below half of max_tokens: a retry needs the balance above half, i.e. at least
      // half plus one milli-token.
      const std::int64_t capacity = milli_tokens(config.max_tokens);
      return {capacity, capacity, capacity / 2 + 1, {0, 0, 0}, 0, 1000, milli_tokens(config.token_ratio), false};
    }
    case Calibration::finagle: {
      // Finagle charges 1 / percent_can_retry per retry against 1 per request; charging 1 per retry
      // against percent_can_retry per request is the same ratio and needs no division (percent 0 works).
      // The reserve lets min_retries_per_second retries through every second of the ttl with no traffic.
      const double reserve = static_cast<double>(config.min_retries_per_second) * 1000.0 *
                             (static_cast<double>(config.ttl.ns()) / 1e9);
      const std::int64_t initial = std::min(kMaxMilli, saturating_round(reserve));
      return {kMaxNs, initial, 0, {1000, 1000, 1000}, milli_tokens(config.percent_can_retry), 0, 0, false};
    }
  }
  throw Error(Status::internal, "calibration: unknown calibration");
}

// A balance can be striped when every step needs only its own amount: no floor to look at (gRPC's half),
// no debit that stops at zero (gRPC's failures), no ledger (Finagle), and amounts a stripe can hold.
bool can_stripe(const Budget::Rules& rules, const BudgetConfig& config) {
  const std::int64_t largest = std::max({rules.retry_cost[0], rules.retry_cost[1], rules.retry_cost[2],
                                         rules.request_credit, rules.success_credit});
  return rules.floor == 0 && rules.failure_debit == 0 && config.calibration != Calibration::finagle &&
         largest <= StripedBalance::kMaxAmount;
}

bool same_settings(const BudgetConfig& a, const BudgetConfig& b) noexcept {
  return a.calibration == b.calibration && a.capacity == b.capacity && a.retry_cost == b.retry_cost &&
         a.timeout_cost == b.timeout_cost && a.throttling_cost == b.throttling_cost &&
         a.no_retry_increment == b.no_retry_increment && a.max_tokens == b.max_tokens &&
         a.token_ratio == b.token_ratio && a.percent_can_retry == b.percent_can_retry &&
         a.min_retries_per_second == b.min_retries_per_second && a.ttl == b.ttl;
}

}  // namespace

std::shared_ptr<const Budget::Shape> Budget::shape_for(const BudgetConfig& config, Clock clock) {
  config.validate();  // also what equal settings cannot tell: a parameter set of another calibration
  return detail::shared_shape<Shape>(
      [&](const Shape& shape) {
        return shape.clock.now_fn == clock.now_fn && shape.clock.user_data == clock.user_data &&
               same_settings(shape.config, config);
      },
      [&] {
        const Rules rules = rules_for(config);
        return std::make_shared<const Shape>(Shape{config, rules, clock, can_stripe(rules, config)});
      });
}

Budget::Budget(const BudgetConfig& config, Clock clock)
    : shape_(shape_for(config, clock)),
      ledger_(config.calibration == Calibration::finagle ? std::make_unique<TokenLedger>(config.ttl) : nullptr),
      striped_(rules().initial) {}

// The size the header and docs/scale.md give, where they were measured (LP64: 8-byte pointers).
static_assert(sizeof(void*) != 8 || sizeof(Budget) == 104, "update the size in budget.hpp and docs/scale.md");

BudgetRef Budget::make(const BudgetConfig& config, Clock clock) {
  return BudgetRef::adopt(new Budget(config, clock));
}

void Budget::settle(const LazyNow& now) {
  if (ledger_) ledger_->settle(now.get().ns(), striped_.central());
}

void Budget::deposit(const LazyNow& now, std::int64_t amount) {
  if (amount == 0) return;
  if (shape_->striped) {
    const unsigned stripe = thread_stripe<BudgetOwner::kStripeBits>();
    striped_.give(stripe, [&] { return owner_.owns(stripe); }, amount, rules().capacity);
    return;
  }
  settle(now);
  std::atomic<std::int64_t>& balance = striped_.central();
  std::int64_t old = balance.load(std::memory_order_relaxed);
  std::int64_t next;
  do {
    next = old > rules().capacity - amount ? std::max(old, rules().capacity) : old + amount;
    if (next == old) return;  // a full bucket: nothing to write, so threads do not fight over the line
  } while (!balance.compare_exchange_weak(old, next, std::memory_order_acq_rel, std::memory_order_relaxed));
  // Only what was actually added expires later; a deposit cut short by the capacity expires short too.
  if (ledger_ && next != old) ledger_->add(now.get().ns(), next - old, balance);
}

void Budget::record_request_impl(const LazyNow& now) { deposit(now, rules().request_credit); }

void Budget::record_failure() noexcept {
  // Only gRPC debits failures, and gRPC keeps no ledger: no time needed.
  const std::int64_t debit = rules().failure_debit;
  if (debit == 0) return;
  std::atomic<std::int64_t>& balance = striped_.central();
  std::int64_t old = balance.load(std::memory_order_relaxed);
  std::int64_t next;
  do {
    next = old >= debit ? old - debit : std::min<std::int64_t>(old, 0);
    if (next == old) return;  // an empty bucket stays empty without a write
  } while (!balance.compare_exchange_weak(old, next, std::memory_order_acq_rel, std::memory_order_relaxed));
}

std::uint64_t Budget::withdraw_impl(const LazyNow& now, ErrorClass error_class) {
  const std::int64_t cost = rules().retry_cost[static_cast<int>(error_class)];
  // One owner check for the balance, the refusal count and the ticket (budget_owner.hpp), and none once
  // an AWS balance is spread: only a budget that is shared spreads it. gRPC and Finagle ask only after
  // their central balance has answered.
  const unsigned stripe = thread_stripe<BudgetOwner::kStripeBits>();
  const bool striped = shape_->striped;
  bool owner = false;
  bool granted;
  if (striped) {
    granted = striped_.take(stripe, [&] { return owner = owner_.owns(stripe); }, cost, rules().capacity);
  } else {
    granted = withdraw_central(now, cost);
  }
  if (!granted) {
    refusals_.add(stripe, striped ? owner : owner_.owns(stripe));
    return 0;
  }
  if (ledger_) ledger_->add(now.get().ns(), -cost, striped_.central());
  try {
    return tickets_.issue(stripe, striped ? owner : owner_.owns(stripe), static_cast<int>(error_class));
  } catch (...) {  // std::bad_alloc for a thread's first ticket: the retry is not granted after all
    deposit(now, cost);
    throw;
  }
}

bool Budget::withdraw_central(const LazyNow& now, std::int64_t cost) {
  settle(now);
  std::atomic<std::int64_t>& balance = striped_.central();
  std::int64_t old = balance.load(std::memory_order_relaxed);
  do {
    if (old - cost < rules().floor) return false;
    if (cost == 0) return true;  // gRPC: a check, not a write
  } while (!balance.compare_exchange_weak(old, old - cost, std::memory_order_acq_rel, std::memory_order_relaxed));
  return true;
}

std::int64_t Budget::redeem(std::uint64_t ticket) {
  int error_class = 0;
  switch (tickets_.redeem(ticket, &error_class)) {
    case BudgetTickets::Redeemed::honoured: return rules().retry_cost[error_class];
    case BudgetTickets::Redeemed::expired: return 0;
    case BudgetTickets::Redeemed::invalid: break;
  }
  throw_invalid("ticket", "is not a ticket this budget has out (never issued, or settled already)",
                std::to_string(ticket));
}

void Budget::forfeit(std::uint64_t ticket) noexcept {
  int error_class = 0;
  tickets_.redeem(ticket, &error_class);
}

void Budget::record_success_impl(const LazyNow& now, std::uint64_t ticket) {
  // Redeemed even where the cost is not refunded (gRPC): a bad ticket is a caller's bug, and a ticket
  // must not stay good for a refund() after its retry succeeded.
  const std::int64_t cost = ticket != 0 ? redeem(ticket) : 0;
  deposit(now, ticket != 0 && rules().refund_on_success ? cost : rules().success_credit);
}

void Budget::refund_impl(const LazyNow& now, std::uint64_t ticket) {
  if (ticket == 0) return;  // a refused withdrawal holds nothing
  deposit(now, redeem(ticket));
}

std::int64_t Budget::balance_impl(const LazyNow& now) {
  if (shape_->striped) return striped_.total(rules().capacity);
  settle(now);
  return striped_.central().load(std::memory_order_acquire);
}

// The clock and explicit-time forms of each step (lazy_now.hpp): defined here, beside the steps, so that
// the LazyNow stays in registers through the inlined step.
void Budget::record_request() { record_request_impl(LazyNow(clock())); }
void Budget::record_request_at(Instant now) { record_request_impl(LazyNow(now)); }
std::uint64_t Budget::withdraw(ErrorClass error_class) { return withdraw_impl(LazyNow(clock()), error_class); }
std::uint64_t Budget::withdraw_at(Instant now, ErrorClass error_class) { return withdraw_impl(LazyNow(now), error_class); }
void Budget::record_success(std::uint64_t ticket) { record_success_impl(LazyNow(clock()), ticket); }
void Budget::record_success_at(Instant now, std::uint64_t ticket) { record_success_impl(LazyNow(now), ticket); }
void Budget::refund(std::uint64_t ticket) { refund_impl(LazyNow(clock()), ticket); }
void Budget::refund_at(Instant now, std::uint64_t ticket) { refund_impl(LazyNow(now), ticket); }
std::int64_t Budget::balance_milli() { return balance_impl(LazyNow(clock())); }
std::int64_t Budget::balance_milli_at(Instant now) { return balance_impl(LazyNow(now)); }

}  // namespace backoff
