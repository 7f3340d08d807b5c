// Budget: a retry budget shared by many callers, so that retries cannot multiply an outage's load.
//
// One engine, three calibrations (budget_config.hpp). The balance is an integer count of milli-tokens in
// one atomic; every change is a compare-and-swap with saturating bounds, so the budget is lock-free and
// can never be overdrawn, however many threads share it.
//
// A caller drives it through the life of one logical request:
//   record_request()       once, at the first attempt (Finagle deposits here; once per request, not per
//                          attempt: finagle #956 shows what double deposits do)
//   record_failure()       after each retryable failure (gRPC takes a token here)
//   withdraw(class)        when it decides to retry: the tokens are taken *now* and held while the retry
//                          waits out its backoff, so that a burst of failures cannot all pass the budget,
//                          all sleep, and all retry at once (envoy #30205). Returns a ticket, or 0 when the
//                          budget refuses the retry.
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

#include "backoff/budget_config.hpp"
#include "backoff/clock.hpp"
#include "backoff/token_ledger.hpp"
#include "backoff/vocabulary.hpp"

namespace backoff {

class LazyNow;
class Retrier;

// The kind of failure a retry follows; AWS charges them differently. Values are the C ABI's.
enum class ErrorClass : int { BACKOFF_VOCAB_ERROR_CLASS(BACKOFF_VOCAB_ENUM) };

class Budget {
 public:
  // Throws Error(invalid_value) for a configuration that fails BudgetConfig::validate().
  explicit Budget(const BudgetConfig& config, Clock clock = Clock{});
  Budget(const Budget&) = delete;
  Budget& operator=(const Budget&) = delete;

  void record_request();
  void record_request_at(std::int64_t now_ns);

  void record_failure() noexcept;

  std::uint64_t withdraw(ErrorClass error_class);
  std::uint64_t withdraw_at(std::int64_t now_ns, ErrorClass error_class);

  // Throw Error(invalid_value) for a ticket this budget cannot have issued.
  void record_success(std::uint64_t ticket);
  void record_success_at(std::int64_t now_ns, std::uint64_t ticket);
  void refund(std::uint64_t ticket);
  void refund_at(std::int64_t now_ns, std::uint64_t ticket);

  // The balance in milli-tokens. Finagle's may be negative: withdrawals that drew on the reserve have
  // not expired yet while the deposits before them have.
  std::int64_t balance_milli();
  std::int64_t balance_milli_at(std::int64_t now_ns);

  std::uint64_t granted() const noexcept { return granted_.load(std::memory_order_relaxed); }
  std::uint64_t refused() const noexcept { return refused_.load(std::memory_order_relaxed); }

  const BudgetConfig& config() const noexcept { return config_; }

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
  // clock reading per step at most, shared through the *_impl(LazyNow&) forms below.
  friend class Retrier;

  void record_request_impl(LazyNow& now);
  std::uint64_t withdraw_impl(LazyNow& now, ErrorClass error_class);
  void record_success_impl(LazyNow& now, std::uint64_t ticket);
  void refund_impl(LazyNow& now, std::uint64_t ticket);
  std::int64_t balance_impl(LazyNow& now);
  std::int64_t ticket_amount(std::uint64_t ticket) const;
  void deposit(LazyNow& now, std::int64_t amount);
  void settle(LazyNow& now);

  const BudgetConfig config_;
  const Rules rules_;
  const Clock clock_;
  const std::int64_t max_ticket_;  // the largest retry cost: no valid ticket carries more
  const std::unique_ptr<TokenLedger> ledger_;  // Finagle only: deposits expire after the ttl
  alignas(64) std::atomic<std::int64_t> balance_;
  std::atomic<std::uint64_t> granted_{0};
  alignas(64) std::atomic<std::uint64_t> refused_{0};
};

}  // namespace backoff
