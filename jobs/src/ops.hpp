// The job logic, written once over the Connection interface: what each backoff_jobs_* call does to the
// store. The C entry points (capi_jobs_*.cpp) check their arguments' presence and call these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "enqueue_statement.hpp"
#include "rows.hpp"
#include "store.hpp"

namespace backoff::jobs {

// ops_work.cpp: the worker's side.
struct Enqueued {
  std::int64_t id;
  bool inserted;
};
Enqueued enqueue(backoff_jobs_store& store, const backoff_jobs_statement& statement, const backoff_jobs_options* options);
backoff_jobs_rows* claim(backoff_jobs_store& store, const char* queue, std::uint32_t max_jobs, std::int64_t lease_ns,
                         const char* worker);
std::int64_t heartbeat(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token, std::int64_t lease_ns);
void complete(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token);
std::uint64_t complete_many(backoff_jobs_store& store, const std::vector<std::int64_t>& ids,
                            const std::vector<std::int64_t>& tokens);
struct Failed {
  int state;
  std::int64_t run_at_ns;
};
Failed fail(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token, const char* error, bool permanent,
            std::int64_t hint_ns);
void release(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token);
// release() to run at database now + delay_ns: RUNNING -> SCHEDULED, the attempt uncounted, no error
// recorded. Errors name `function`.
void snooze(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token, std::int64_t delay_ns,
            const char* function);
// BACKOFF_OK with *woken set, or BACKOFF_ECANCELED after an interrupt.
int wait(backoff_jobs_store& store, const char* queue, std::int64_t timeout_ns, int* woken);

// ops_breaker.cpp: the per-type breakers' two decisions for a claimed job (backoff_jobs_breaker_admit,
// backoff_jobs_breaker_record), shared by backoff_jobs_work(). A refused job is snoozed (errors name
// `function`) and gets snooze_ns > 0; an admitted one gets snooze_ns 0 and a permit (0 without breakers).
struct Admitted {
  std::uint64_t permit;
  std::int64_t snooze_ns;
};
Admitted breaker_admit(backoff_jobs_store& store, const char* type, std::int64_t job_id, std::int64_t token,
                       const char* function);
void breaker_record(backoff_jobs_store& store, const char* type, std::uint64_t permit, int attempt,
                    std::int64_t hint_ns, std::int64_t duration_ns);

// ops_admin.cpp: the operator's side.
void set_queue_policy(backoff_jobs_store& store, const char* queue, const backoff_policy* policy);
backoff_policy* queue_policy(backoff_jobs_store& store, const char* queue);
void requeue(backoff_jobs_store& store, std::int64_t job_id);
std::uint64_t requeue_failed(backoff_jobs_store& store, const char* queue);
void cancel(backoff_jobs_store& store, std::int64_t job_id);
backoff_jobs_rows* list(backoff_jobs_store& store, const char* queue, int state, std::int64_t before_id,
                        std::uint32_t limit);
backoff_jobs_rows* get(backoff_jobs_store& store, std::int64_t job_id);
backoff_jobs_rows* errors(backoff_jobs_store& store, std::int64_t job_id);
backoff_jobs_rows* stats(backoff_jobs_store& store, const char* queue);
std::uint64_t purge(backoff_jobs_store& store, const char* queue, int state, std::int64_t older_than_ns);

// The reason a fenced call found nothing to change: BACKOFF_JOBS_ENOTFOUND or BACKOFF_JOBS_ESTALE, with
// the job's state and current token in the message. Returns normally when the job is already in
// `done_state` under `token` (a call re-run after a lost connection had in fact succeeded).
void explain_fence(backoff_jobs_store& store, const char* function, std::int64_t job_id, std::int64_t token,
                   int done_state);

}  // namespace backoff::jobs
