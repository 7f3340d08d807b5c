// Entry points: claim, heartbeat, complete, fail, release, wait, and the worker loop with its breakers
// (also offered one job at a time, for workers with loops of their own).
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
  return store_entry(__func__, {{"out", out}}, store, {{"queue", queue}},
                     [&] { *out = claim(*store, queue, max_jobs, lease_ns, worker); });
}

int backoff_jobs_heartbeat(int64_t* out_expires_at_ns, backoff_jobs_store* store, int64_t job_id, int64_t lease_token,
                           int64_t lease_ns) {
  // plain_entry, not store_entry: allowed from a handler, so that a long job keeps its lease.
  return plain_entry(__func__, {{"store", store}},
                     [&] { set_optional(out_expires_at_ns, heartbeat(*store, job_id, lease_token, lease_ns)); });
}

int backoff_jobs_complete(backoff_jobs_store* store, int64_t job_id, int64_t lease_token) {
  return store_entry(__func__, {}, store, {}, [&] { complete(*store, job_id, lease_token); });
}

int backoff_jobs_complete_many(uint64_t* out_completed, backoff_jobs_store* store, const int64_t* job_ids,
                               const int64_t* lease_tokens, uint64_t count) {
  // The arrays may be NULL when there is nothing in them.
  return store_entry(__func__, {}, store, {{"job_ids", job_ids, count > 0}, {"lease_tokens", lease_tokens, count > 0}}, [&] {
    if (count > 0) check_claim_size("count", count);
    set_optional(out_completed, complete_many(*store, std::vector<int64_t>(job_ids, job_ids + count),
                                              std::vector<int64_t>(lease_tokens, lease_tokens + count)));
  });
}

int backoff_jobs_fail(int* out_state, int64_t* out_run_at_ns, backoff_jobs_store* store, int64_t job_id,
                      int64_t lease_token, const char* error, int permanent, int64_t hint_ns) {
  return store_entry(__func__, {}, store, {}, [&] {
    const Failed outcome = fail(*store, job_id, lease_token, error, permanent != 0, hint_ns);
    set_optional(out_state, outcome.state);
    set_optional(out_run_at_ns, outcome.run_at_ns);
  });
}

int backoff_jobs_release(backoff_jobs_store* store, int64_t job_id, int64_t lease_token) {
  return store_entry(__func__, {}, store, {}, [&] { release(*store, job_id, lease_token); });
}

int backoff_jobs_wait(int* out_woken, backoff_jobs_store* store, const char* queue, int64_t timeout_ns) {
  const int refused = refuse_entry(__func__, {}, store, true, {{"queue", queue}});
  if (refused != BACKOFF_OK) return refused;
  return jobs_guarded(__func__, [&]() -> int {
    int woken = 0;
    if (wait(*store, queue, timeout_ns, &woken) == BACKOFF_ECANCELED) return interrupted(__func__);
    set_optional(out_woken, woken);
    return BACKOFF_OK;
  });
}

int backoff_jobs_work(uint64_t* out_handled, backoff_jobs_store* store, const char* queue, uint32_t batch,
                      int64_t lease_ns, uint64_t max_jobs, int64_t idle_exit_ns, backoff_jobs_handler_fn handler,
                      void* user_data) {
  const int refused = refuse_entry(__func__, {}, store, true,
                                   {{"queue", queue}, {"handler", reinterpret_cast<const void*>(handler)}});
  if (refused != BACKOFF_OK) return refused;
  uint64_t handled = 0;
  const int status = jobs_guarded(__func__, [&]() -> int {
    const int result = work({*store, queue, batch, lease_ns, max_jobs, idle_exit_ns, handler, user_data}, &handled);
    return result == BACKOFF_ECANCELED ? interrupted(__func__) : result;
  });
  set_optional(out_handled, handled);
  return status;
}

int backoff_jobs_set_breaker(backoff_jobs_store* store, const backoff_breaker_config* config) {
  return store_entry(__func__, {}, store, {}, [&] {
    store->breakers = config == nullptr ? nullptr : std::make_unique<KindBreakers>(*config);
  });
}

int backoff_jobs_breaker_admit(uint64_t* out_permit, int64_t* out_snooze_ns, backoff_jobs_store* store, const char* type,
                               int64_t job_id, int64_t lease_token) {
  return store_entry(__func__, {{"out_permit", out_permit}, {"out_snooze_ns", out_snooze_ns}}, store, {{"type", type}}, [&] {
    *out_permit = 0;
    *out_snooze_ns = 0;
    const Admitted admitted = breaker_admit(*store, type, job_id, lease_token, __func__);
    *out_permit = admitted.permit;
    *out_snooze_ns = admitted.snooze_ns;
  });
}

int backoff_jobs_breaker_record(backoff_jobs_store* store, const char* type, uint64_t permit, int attempt,
                                int64_t hint_ns, int64_t duration_ns) {
  return store_entry(__func__, {}, store, {{"type", type}},
                     [&] { breaker_record(*store, type, permit, attempt, hint_ns, duration_ns); });
}

int backoff_jobs_snoozed(uint64_t* out, const backoff_jobs_store* store) {
  JOBS_REQUIRE(out);
  JOBS_REQUIRE(store);
  *out = store->snoozed;
  return BACKOFF_OK;
}

}
