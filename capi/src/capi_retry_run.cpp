// The whole retry loop: backoff_retrier_run(), backoff_retry() and cancellation. Every decision is the core
// Retrier's; this file calls the operation, sleeps, calls the hooks and turns the outcome into a status.
#include <chrono>
#include <string>

#include "capi_retrier.hpp"

using backoff::RetryOutcome;
using backoff::capi::fail;
using backoff::capi::status_of;

namespace {

// Sleeps until the delay has passed or a cancellation arrives, whichever comes first: a condition variable
// wait, so backoff_retrier_cancel() wakes it at once. Returns nonzero when cancelled.
int sleep_default(backoff_retrier& retrier, int64_t delay_ns) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point now = Clock::now();
  // now + delay would overflow for delays near INT64_MAX (an isolated breaker's hint, a huge cap).
  const Clock::duration left = Clock::time_point::max() - now;
  const std::chrono::nanoseconds delay(delay_ns);
  const Clock::time_point deadline =
      delay >= left ? Clock::time_point::max() : now + std::chrono::duration_cast<Clock::duration>(delay);
  std::unique_lock<std::mutex> lock(retrier.wake_mutex);
  return retrier.wake.wait_until(lock, deadline, [&] { return retrier.cancel_requested.load(); }) ? 1 : 0;
}

int sleep_for(backoff_retrier& retrier, int64_t delay_ns) {
  if (retrier.sleep.fn != nullptr) return retrier.sleep.fn(delay_ns, retrier.sleep.user_data);
  return sleep_default(retrier, delay_ns);
}

bool hook_cancels(const backoff_hook<backoff_before_sleep_fn>& hook, uint64_t failures, int64_t delay_ns) {
  return hook.fn != nullptr && hook.fn(failures, delay_ns, hook.user_data) != 0;
}

bool error_class_of(int attempt, backoff::ErrorClass* out) {
  switch (attempt) {
    case BACKOFF_ATTEMPT_RETRYABLE: *out = backoff::ErrorClass::ordinary; return true;
    case BACKOFF_ATTEMPT_TIMEOUT: *out = backoff::ErrorClass::timeout; return true;
    case BACKOFF_ATTEMPT_THROTTLED: *out = backoff::ErrorClass::throttling; return true;
    default: return false;
  }
}

// The call has ended: one hook, then the status.
int finish(const backoff_retrier& retrier) {
  const backoff::Retrier& core = retrier.retrier;
  const int status = status_of(core.outcome());
  if (core.succeeded()) {
    if (retrier.on_success.fn != nullptr) retrier.on_success.fn(core.attempts(), retrier.on_success.user_data);
  } else if (retrier.on_giveup.fn != nullptr) {
    retrier.on_giveup.fn(status, core.attempts(), retrier.on_giveup.user_data);
  }
  return status;
}

// An operation that broke its contract ends the call as a permanent failure, without hooks: the error is
// the caller's bug, not a way for the call to end. An unknown result is the C loop's own contract; a
// negative hint is the core's to reject (require_hint), in the same words as for every other caller.
int reject_attempt(backoff::Retrier& core, int status) {
  core.on_permanent_failure();
  return status;
}

// Asks before an attempt until it may go ahead: a limiter without a send token answers with the wait until
// it will have one, slept here. False when the call ended instead (breaker, fail-fast limiter, a cancelled
// sleep).
bool admit_attempt(backoff_retrier& retrier) {
  backoff::Retrier& core = retrier.retrier;
  for (;;) {
    const backoff::RetryDecision admitted = core.before_attempt();
    if (!admitted.retrying()) return false;
    if (admitted.delay == backoff::Duration()) return true;
    if (sleep_for(retrier, c_ns(admitted.delay)) != 0) {
      core.cancel();
      return false;
    }
  }
}

int run_call(backoff_retrier& retrier, backoff_attempt_fn op, void* user_data, int* out_op_status) {
  backoff::Retrier& core = retrier.retrier;
  core.reset();
  for (;;) {
    if (retrier.cancel_requested.load(std::memory_order_acquire)) {
      core.cancel();
      break;
    }
    if (!admit_attempt(retrier)) break;
    int64_t hint_ns = 0;
    const int attempt = op(&hint_ns, user_data);
    *out_op_status = attempt;
    if (attempt == BACKOFF_ATTEMPT_SUCCESS) {
      core.on_success();
      break;
    }
    if (attempt == BACKOFF_ATTEMPT_PERMANENT) {
      core.on_permanent_failure();
      break;
    }
    backoff::ErrorClass error_class = backoff::ErrorClass::ordinary;
    const bool retryable = error_class_of(attempt, &error_class);
    if (!retryable) {
      const std::string message = "op: returned " + std::to_string(attempt) + ", which is not a backoff_attempt";
      return reject_attempt(core, fail(BACKOFF_EUNKNOWN, message.c_str()));
    }
    backoff::RetryDecision decision;
    const int decided = guarded([&] { decision = core.decide_retry(for_ns(hint_ns), error_class); });
    if (decided != BACKOFF_OK) return reject_attempt(core, decided);
    if (!decision.retrying()) break;
    if (hook_cancels(retrier.before_sleep, core.failures(), c_ns(decision.delay)) ||
        sleep_for(retrier, c_ns(decision.delay)) != 0) {
      core.cancel();  // the retry will not run: its tokens go back
      break;
    }
  }
  return finish(retrier);
}

// Clears `running` however the call ends.
class RunningScope {
 public:
  explicit RunningScope(std::atomic<bool>& running) : running_(running) {
    running_.store(true, std::memory_order_relaxed);
  }
  ~RunningScope() { running_.store(false, std::memory_order_relaxed); }
  RunningScope(const RunningScope&) = delete;
  RunningScope& operator=(const RunningScope&) = delete;

 private:
  std::atomic<bool>& running_;
};

int run_guarded(backoff_retrier& retrier, backoff_attempt_fn op, void* user_data, int* out_op_status) {
  RunningScope scope(retrier.running);
  *out_op_status = BACKOFF_ATTEMPT_NONE;
  int status = BACKOFF_OK;
  const int failed = guarded([&] { status = run_call(retrier, op, user_data, out_op_status); });
  return failed != BACKOFF_OK ? failed : status;
}

}  // namespace

extern "C" {

int backoff_retrier_run(int* out_op_status, backoff_retrier* retrier, backoff_attempt_fn op, void* user_data) {
  BACKOFF_REQUIRE(retrier);
  BACKOFF_REQUIRE(op);
  BACKOFF_REQUIRE(out_op_status);
  BACKOFF_REQUIRE_IDLE(retrier);
  return run_guarded(*retrier, op, user_data, out_op_status);
}

int backoff_retry(int* out_op_status, const backoff_policy* policy, backoff_attempt_fn op, void* user_data) {
  BACKOFF_REQUIRE(policy);
  BACKOFF_REQUIRE(op);
  BACKOFF_REQUIRE(out_op_status);
  return guarded([&] {
    backoff_retrier retrier(policy->policy);
    return run_guarded(retrier, op, user_data, out_op_status);
  });
}

int backoff_retrier_cancel(backoff_retrier* retrier) {
  BACKOFF_REQUIRE(retrier);
  {
    std::lock_guard<std::mutex> lock(retrier->wake_mutex);
    retrier->cancel_requested.store(true, std::memory_order_release);
  }
  retrier->wake.notify_all();
  return BACKOFF_OK;
}

}
