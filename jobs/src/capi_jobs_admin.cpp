// Entry points: requeue, cancel, list, get, errors, stats, purge.
#include "capi_jobs.hpp"

using namespace backoff::jobs;

extern "C" {

int backoff_jobs_requeue(backoff_jobs_store* store, int64_t job_id) {
  return store_entry(__func__, {}, store, {}, [&] { requeue(*store, job_id); });
}

int backoff_jobs_requeue_failed(uint64_t* out_count, backoff_jobs_store* store, const char* queue) {
  return store_entry(__func__, {}, store, {{"queue", queue}},
                     [&] { set_optional(out_count, requeue_failed(*store, queue)); });
}

int backoff_jobs_cancel(backoff_jobs_store* store, int64_t job_id) {
  return store_entry(__func__, {}, store, {}, [&] { cancel(*store, job_id); });
}

int backoff_jobs_list(backoff_jobs_rows** out, backoff_jobs_store* store, const char* queue, int state,
                      int64_t before_id, uint32_t limit) {
  return store_entry(__func__, {{"out", out}}, store, {}, [&] { *out = list(*store, queue, state, before_id, limit); });
}

int backoff_jobs_get(backoff_jobs_rows** out, backoff_jobs_store* store, int64_t job_id) {
  return store_entry(__func__, {{"out", out}}, store, {}, [&] { *out = get(*store, job_id); });
}

int backoff_jobs_errors(backoff_jobs_rows** out, backoff_jobs_store* store, int64_t job_id) {
  return store_entry(__func__, {{"out", out}}, store, {}, [&] { *out = errors(*store, job_id); });
}

int backoff_jobs_stats(backoff_jobs_rows** out, backoff_jobs_store* store, const char* queue) {
  return store_entry(__func__, {{"out", out}}, store, {}, [&] { *out = stats(*store, queue); });
}

int backoff_jobs_purge(uint64_t* out_count, backoff_jobs_store* store, const char* queue, int state,
                       int64_t older_than_ns) {
  return store_entry(__func__, {}, store, {},
                     [&] { set_optional(out_count, purge(*store, queue, state, older_than_ns)); });
}

}
