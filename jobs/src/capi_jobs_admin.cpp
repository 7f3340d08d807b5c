// Entry points: requeue, cancel, list, get, errors, stats, purge.
#include "capi_jobs.hpp"

using namespace backoff::jobs;

extern "C" {

int backoff_jobs_requeue(backoff_jobs_store* store, int64_t job_id) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    requeue(*store, job_id);
    return BACKOFF_OK;
  });
}

int backoff_jobs_requeue_failed(uint64_t* out_count, backoff_jobs_store* store, const char* queue) {
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  return jobs_guarded(__func__, [&]() -> int {
    const uint64_t count = requeue_failed(*store, queue);
    if (out_count != nullptr) *out_count = count;
    return BACKOFF_OK;
  });
}

int backoff_jobs_cancel(backoff_jobs_store* store, int64_t job_id) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    cancel(*store, job_id);
    return BACKOFF_OK;
  });
}

int backoff_jobs_list(backoff_jobs_rows** out, backoff_jobs_store* store, const char* queue, int state,
                      int64_t before_id, uint32_t limit) {
  JOBS_REQUIRE(out);
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    *out = list(*store, queue, state, before_id, limit);
    return BACKOFF_OK;
  });
}

int backoff_jobs_get(backoff_jobs_rows** out, backoff_jobs_store* store, int64_t job_id) {
  JOBS_REQUIRE(out);
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    *out = get(*store, job_id);
    return BACKOFF_OK;
  });
}

int backoff_jobs_errors(backoff_jobs_rows** out, backoff_jobs_store* store, int64_t job_id) {
  JOBS_REQUIRE(out);
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    *out = errors(*store, job_id);
    return BACKOFF_OK;
  });
}

int backoff_jobs_stats(backoff_jobs_rows** out, backoff_jobs_store* store, const char* queue) {
  JOBS_REQUIRE(out);
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    *out = stats(*store, queue);
    return BACKOFF_OK;
  });
}

int backoff_jobs_purge(uint64_t* out_count, backoff_jobs_store* store, const char* queue, int state,
                       int64_t older_than_ns) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    const uint64_t count = purge(*store, queue, state, older_than_ns);
    if (out_count != nullptr) *out_count = count;
    return BACKOFF_OK;
  });
}

}
