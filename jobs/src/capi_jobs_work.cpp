// Entry points: claim, heartbeat, complete, fail, release, wait, and the worker loop.
#include "capi_jobs.hpp"
#include "validate.hpp"
#include "worker_loop.hpp"

using namespace backoff::jobs;

namespace {

int interrupted(const char* function) { return fail(BACKOFF_ECANCELED, std::string(function) + ": interrupted"); }

}  // namespace

extern "C" {

int backoff_jobs_claim(backoff_jobs_rows** out, backoff_jobs_store* store, const char* queue, uint32_t max_jobs,
                       int64_t lease_ns, const char* worker) {
  JOBS_REQUIRE(out);
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  return jobs_guarded(__func__, [&]() -> int {
    *out = claim(*store, queue, max_jobs, lease_ns, worker);
    return BACKOFF_OK;
  });
}

int backoff_jobs_heartbeat(int64_t* out_expires_at_ns, backoff_jobs_store* store, int64_t job_id, int64_t lease_token,
                           int64_t lease_ns) {
  JOBS_REQUIRE(store);  // allowed from a handler: a long job keeps its lease
  return jobs_guarded(__func__, [&]() -> int {
    const int64_t expires = heartbeat(*store, job_id, lease_token, lease_ns);
    if (out_expires_at_ns != nullptr) *out_expires_at_ns = expires;
    return BACKOFF_OK;
  });
}

int backoff_jobs_complete(backoff_jobs_store* store, int64_t job_id, int64_t lease_token) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    complete(*store, job_id, lease_token);
    return BACKOFF_OK;
  });
}

int backoff_jobs_complete_many(uint64_t* out_completed, backoff_jobs_store* store, const int64_t* job_ids,
                               const int64_t* lease_tokens, uint64_t count) {
  JOBS_ENTER(store);
  if (count > 0) {
    JOBS_REQUIRE(job_ids);
    JOBS_REQUIRE(lease_tokens);
  }
  return jobs_guarded(__func__, [&]() -> int {
    if (count > 0) check_claim_size("count", count);
    const uint64_t done = complete_many(*store, std::vector<int64_t>(job_ids, job_ids + count),
                                        std::vector<int64_t>(lease_tokens, lease_tokens + count));
    if (out_completed != nullptr) *out_completed = done;
    return BACKOFF_OK;
  });
}

int backoff_jobs_fail(int* out_state, int64_t* out_run_at_ns, backoff_jobs_store* store, int64_t job_id,
                      int64_t lease_token, const char* error, int permanent, int64_t hint_ns) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    const Failed outcome = fail(*store, job_id, lease_token, error, permanent != 0, hint_ns);
    if (out_state != nullptr) *out_state = outcome.state;
    if (out_run_at_ns != nullptr) *out_run_at_ns = outcome.run_at_ns;
    return BACKOFF_OK;
  });
}

int backoff_jobs_release(backoff_jobs_store* store, int64_t job_id, int64_t lease_token) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    release(*store, job_id, lease_token);
    return BACKOFF_OK;
  });
}

int backoff_jobs_wait(int* out_woken, backoff_jobs_store* store, const char* queue, int64_t timeout_ns) {
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  return jobs_guarded(__func__, [&]() -> int {
    int woken = 0;
    if (wait(*store, queue, timeout_ns, &woken) == BACKOFF_ECANCELED) return interrupted(__func__);
    if (out_woken != nullptr) *out_woken = woken;
    return BACKOFF_OK;
  });
}

int backoff_jobs_work(uint64_t* out_handled, backoff_jobs_store* store, const char* queue, uint32_t batch,
                      int64_t lease_ns, uint64_t max_jobs, int64_t idle_exit_ns, backoff_jobs_handler_fn handler,
                      void* user_data) {
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  JOBS_REQUIRE(handler);
  uint64_t handled = 0;
  const int status = jobs_guarded(__func__, [&]() -> int {
    const int result = work({*store, queue, batch, lease_ns, max_jobs, idle_exit_ns, handler, user_data}, &handled);
    return result == BACKOFF_ECANCELED ? interrupted(__func__) : result;
  });
  if (out_handled != nullptr) *out_handled = handled;
  return status;
}

}
