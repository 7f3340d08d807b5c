// Budget: a retry budget shared by many callers, so that retries cannot multiply an outage's load.
//
// One engine, three calibrations (budget_config.hpp). The balance is an integer count of milli-tokens;
// every change is a compare-and-swap with saturating bounds, so the budget is lock-free and can never be
// overdrawn, however many threads share it. AWS's balance is striped (striped_balance.hpp): threads that
// share the budget, its normal use, then draw on it as fast as one thread does. gRPC's floor and failure
// debits and Finagle's expiring ledger read the whole balance at every step, so they keep one atomic; their
// calls write it only when they change it (a deposit into a full bucket, a gRPC withdrawal, are reads).
//
// A caller drives it through the life of one logical request:
//   record_request()       once, at the first attempt (Finagle deposits here; once per request, not per
//                          attempt: finagle #956 shows what double deposits do)
//   record_failure()       after each retryable failure (gRPC takes a token here)
//   withdraw(class)        when it decides to retry: the tokens are taken *now* and held while the retry
//                          waits out its backoff, so that a burst of failures cannot all pass the budget,
//                          all sleep, and all retry at once (envoy #30205). Returns a ticket, or 0 when the
//                          budget refuses the retry. A ticket is settled at most once, by one of the two
//                          calls below; one that is never settled (the retry failed) is simply dropped.
//   record_success(ticket) when an attempt succeeds: the ticket of the retry that succeeded, or 0 for a
//                          first attempt (AWS refunds a successful retry's cost and credits a first
//                          attempt's success; gRPC credits every success)
//   refund(ticket)         when a retry that holds tokens is abandoned before it runs (cancelled)
//
// A refused withdrawal fails fast; it never waits for tokens to come back. The caller decides what to do
// (the retry loop reports the distinct status "retry budget exhausted", never the operation's own error).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

#include "backoff/budget_config.hpp"
#include "backoff/budget_owner.hpp"
#include "backoff/budget_refusals.hpp"
#include "backoff/budget_tickets.hpp"
#include "backoff/clock.hpp"
#include "backoff/duration.hpp"
#include "backoff/lazy_now.hpp"
#include "backoff/object_name.hpp"
#include "backoff/striped_balance.hpp"
#include "backoff/thread_stripe.hpp"
#include "backoff/token_ledger.hpp"
#include "backoff/vocabulary.hpp"

namespace backoff {

class Retrier;
class BudgetRef;

// The kind of failure a retry follows; AWS charges them differently. Values are the C ABI's.
enum class ErrorClass : int { BACKOFF_VOCAB_ERROR_CLASS(BACKOFF_VOCAB_ENUM) };

// The budget's counters, readable one at a time. Values are the C ABI's BACKOFF_BUDGET_COUNT_*.
enum class BudgetCount : int { BACKOFF_VOCAB_BUDGET_COUNT(BACKOFF_VOCAB_ENUM) };

class Budget {
 public:
  // Throws Error(invalid_value) for a configuration that fails BudgetConfig::validate().
  explicit Budget(const BudgetConfig& config, Clock clock = Clock{});
  // A budget of its own allocation, shared through counted references (BudgetRef, below), as the C API's
  // handles and pools share it. Throws as the constructor does, and std::bad_alloc.
  static BudgetRef make(const BudgetConfig& config, Clock clock = Clock{});
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

  void record_request();
  void record_request_at(Instant now);

  void record_failure() noexcept;

  std::uint64_t withdraw(ErrorClass error_class);
  std::uint64_t withdraw_at(Instant now, ErrorClass error_class);

  // Throw Error(invalid_value), and change nothing, for a ticket this budget did not issue or that was
  // settled already. A ticket that was evicted (budget_tickets.hpp: its thread had kSlots tickets out) is
  // accepted and refunds nothing; gRPC's record_success() still credits the success itself.
  void record_success(std::uint64_t ticket);
  void record_success_at(Instant now, std::uint64_t ticket);
  void refund(std::uint64_t ticket);
  void refund_at(Instant now, std::uint64_t ticket);

  // The balance in milli-tokens. Finagle's may be negative: withdrawals that drew on the reserve have
  // not expired yet while the deposits before them have.
  std::int64_t balance_milli();
  std::int64_t balance_milli_at(Instant now);

  std::uint64_t granted() const noexcept { return tickets_.issued(); }  // one ticket per grant
  std::uint64_t refused() const noexcept { return refusals_.sum(); }
  std::uint64_t count(BudgetCount which) const noexcept {
    return which == BudgetCount::granted ? granted() : refused();
  }

  const BudgetConfig& config() const noexcept { return shape_->config; }
  const Clock& clock() const noexcept { return shape_->clock; }

  // The budget's name for exporters (object_name.hpp); one pointer inline.
  ObjectName& name() noexcept { return name_; }
  const ObjectName& name() const noexcept { return name_; }

  // How the calibrations map onto the engine, in milli-tokens.
  struct Rules {
    std::int64_t capacity;        // the balance never rises above it
    std::int64_t initial;         // the balance at construction
    std::int64_t floor;           // a retry passes only if the balance stays at or above it
    std::int64_t retry_cost[3];   // by ErrorClass
    std::int64_t request_credit;  // per logical request
    std::int64_t failure_debit;   // per retryable failure; the balance stops at 0
    std::int64_t success_credit;  // per success (AWS: per first-attempt success)
    bool refund_on_success;       // AWS: a successful retry gets its cost back instead
  };

 private:
  // A Retrier hands its breaker and budget the time it read for a step, or none if nobody needs it: one
  // clock reading per step at most, shared through the *_impl(const LazyNow&) forms below.
  friend class Retrier;
  friend class BudgetRef;

  void record_request_impl(const LazyNow& now);
  std::uint64_t withdraw_impl(const LazyNow& now, ErrorClass error_class);
  void record_success_impl(const LazyNow& now, std::uint64_t ticket);
  void refund_impl(const LazyNow& now, std::uint64_t ticket);
  std::int64_t balance_impl(const LazyNow& now);
  // The tokens `ticket` gives back (0 once expired); throws for a bad or settled ticket.
  std::int64_t redeem(std::uint64_t ticket);
  // Settles the ticket of a retry that failed: its tokens are spent, and its slot is free again.
  void forfeit(std::uint64_t ticket) noexcept;
  void deposit(const LazyNow& now, std::int64_t amount);
  bool withdraw_central(const LazyNow& now, std::int64_t cost);
  void settle(const LazyNow& now);

  // What a configuration makes, immutable, and the clock: shared by the budgets made one after another
  // from equal configurations and clocks (a pool's, or a C program's per-key budgets; shared_shape.hpp),
  // so that each holds a pointer, not 192 B.
  struct Shape {
    BudgetConfig config;
    Rules rules;
    Clock clock;
    bool striped;  // AWS: the balance is spread by striped_.take() and give(), not only central()
  };
  static std::shared_ptr<const Shape> shape_for(const BudgetConfig& config, Clock clock);
  const Rules& rules() const noexcept { return shape_->rules; }

  // Size (sizeof, 104 B): what one thread needs, and the count of make()'s references. Once a second
  // thread stripe calls (budget_owner.hpp), an AWS budget's balance spreads (2.2 KiB), a refusal counted
  // there makes the refusal lines (2 KiB), and a ticket it takes, or a third ticket out at once on the
  // first one, a table stripe (16 KiB, with a 256 B table of stripes).
  // The refusal count first: read rarely, it keeps the fields every call reads 16 B away from the
  // allocation before the budget's, whose writes would otherwise share their cache line (bench_breaker's
  // withdrawals by two threads ran up to a nanosecond slower with the shape pointer first).
  BudgetRefusals refusals_;
  const std::shared_ptr<const Shape> shape_;
  const std::unique_ptr<TokenLedger> ledger_;  // Finagle only: deposits expire after the ttl
  StripedBalance striped_;  // AWS; gRPC and Finagle keep the whole balance in its central()
  BudgetTickets tickets_;
  ObjectName name_;
  BudgetOwner owner_;  // of the inline states of striped_, refusals_ and tickets_
  std::atomic<std::uint32_t> refs_{1};  // make()'s budgets: the BudgetRefs held on it; unused otherwise
};

// BudgetRef: a counted reference to a budget that Budget::make() made. The count is inside the budget
// (no control block beside it, as std::shared_ptr's would be): the C API's handles (backoff_budget_new's
// and each of backoff_budget_pool_get's are the budget itself, holding one reference each), a pool's entry
// and a C retrier's attachment share it, and the budget goes with the last of them. Copying and dropping
// references to one budget from many threads is safe, as for shared_ptr; at most 2^32 - 1 at once.
class BudgetRef {
 public:
  BudgetRef() noexcept = default;
  // Takes over a reference already counted: make()'s own, or one that release() gave up.
  static BudgetRef adopt(Budget* budget) noexcept { return BudgetRef(budget); }
  // One more reference to a budget of make()'s that the caller holds a reference to.
  static BudgetRef share(Budget* budget) noexcept {
    if (budget != nullptr) budget->refs_.fetch_add(1, std::memory_order_relaxed);
    return BudgetRef(budget);
  }
  BudgetRef(const BudgetRef& other) noexcept : BudgetRef(share(other.budget_).release()) {}
  BudgetRef(BudgetRef&& other) noexcept : budget_(other.release()) {}
  BudgetRef& operator=(BudgetRef other) noexcept {
    std::swap(budget_, other.budget_);
    return *this;
  }
  ~BudgetRef() {
    // acq_rel: the thread that deletes sees every other holder's writes to the budget.
    if (budget_ != nullptr && budget_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete budget_;
  }

  Budget* get() const noexcept { return budget_; }
  Budget* operator->() const noexcept { return budget_; }
  Budget& operator*() const noexcept { return *budget_; }
  explicit operator bool() const noexcept { return budget_ != nullptr; }
  // Gives the reference up uncounted, for adopt() to take back later (a C handle holds it meanwhile).
  Budget* release() noexcept { return std::exchange(budget_, nullptr); }

 private:
  explicit BudgetRef(Budget* budget) noexcept : budget_(budget) {}

  Budget* budget_ = nullptr;
};

}  // namespace backoff
