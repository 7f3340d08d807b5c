// The retrier handle, shared by the pull-style entry points (capi_retrier.cpp) and the loop that runs a
// whole call (capi_retry_run.cpp). The core Retrier decides; the handle adds what only a loop needs: the
// operation's hooks, the sleep, cancellation from another thread, and the guard against re-entry.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "backoff/retrier.hpp"
#include "capi_internal.hpp"

// A callback with the user_data it was registered with.
template <class Fn>
struct backoff_hook {
  Fn fn = nullptr;
  void* user_data = nullptr;
};

struct backoff_retrier {
  explicit backoff_retrier(const backoff::Policy& policy) : retrier(policy) {}

  backoff::Retrier retrier;
  backoff::BudgetRef budget;  // keeps the attached budget alive; the core holds a plain pointer
  std::shared_ptr<backoff::AdaptiveLimiter> limiter;  // the same, for the attached limiter
  backoff_hook<backoff_sleep_fn> sleep;     // no fn: sleep_default()
  backoff_hook<backoff_before_sleep_fn> before_sleep;
  backoff_hook<backoff_giveup_fn> on_giveup;
  backoff_hook<backoff_success_fn> on_success;

  // Set while backoff_retrier_run() runs: the entry points that change the retrier refuse to run inside
  // its callbacks, where they would pull the state from under the loop.
  std::atomic<bool> running{false};
  // Written under wake_mutex, so that a default sleep cannot miss the notification between its check
  // and its wait; read without it everywhere else.
  std::atomic<bool> cancel_requested{false};
  std::mutex wake_mutex;
  std::condition_variable wake;
};

namespace backoff::capi {

// Reports a call made from inside a callback of backoff_retrier_run() on the same retrier.
int reentrant_call(const char* function) noexcept;

// The status a call's final outcome ends it with (BACKOFF_EINTERNAL for `retry`, which is not final).
inline int status_of(RetryOutcome outcome) noexcept {
  switch (outcome) {
    case RetryOutcome::succeeded: return BACKOFF_OK;
    case RetryOutcome::exhausted: return BACKOFF_EGAVEUP;
    case RetryOutcome::permanent: return BACKOFF_EPERMANENT;
    case RetryOutcome::budget_exhausted: return BACKOFF_EBUDGET;
    case RetryOutcome::circuit_open: return BACKOFF_EOPEN;
    case RetryOutcome::cancelled: return BACKOFF_ECANCELED;
    case RetryOutcome::deadline_exceeded: return BACKOFF_EDEADLINE;
    case RetryOutcome::retry: break;
  }
  return BACKOFF_EINTERNAL;
}

}  // namespace backoff::capi

// Returns BACKOFF_EREENTRANT from an entry point that changes the retrier, when the retrier is running.
#define BACKOFF_REQUIRE_IDLE(retrier) \
  do { \
    if ((retrier)->running.load(std::memory_order_relaxed)) return ::backoff::capi::reentrant_call(__func__); \
  } while (0)

// BACKOFF_CALL for an entry point that changes the retrier: it also refuses to run from a callback of
// backoff_retrier_run() on the same retrier (BACKOFF_REQUIRE_IDLE).
#define BACKOFF_CALL_IDLE(retrier, ...) \
  do { \
    BACKOFF_REQUIRE(retrier); \
    BACKOFF_REQUIRE_IDLE(retrier); \
    return ::backoff::capi::guarded([&] { __VA_ARGS__; }); \
  } while (0)
