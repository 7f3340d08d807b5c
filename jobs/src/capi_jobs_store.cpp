// Entry points: open, close, migrate, the clock, queue policies, interrupt.
#include <unistd.h>

#include "capi_jobs.hpp"
#include "migrations.hpp"

using namespace backoff::jobs;

extern "C" {

int backoff_jobs_open(backoff_jobs_store** out, const char* url) {
  JOBS_REQUIRE(out);
  JOBS_REQUIRE(url);
  return jobs_guarded(__func__, [&]() -> int {
    *out = open_store(url);
    return BACKOFF_OK;
  });
}

void backoff_jobs_close(backoff_jobs_store* store) { delete store; }

int backoff_jobs_dialect_of(const backoff_jobs_store* store) {
  JOBS_REQUIRE(store);
  return store->db->dialect();
}

int backoff_jobs_migrate(int* out_version, backoff_jobs_store* store) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    store->schema_version = run(*store, false, [&] { return migrate(*store->db); });
    if (out_version != nullptr) *out_version = store->schema_version;
    return BACKOFF_OK;
  });
}

int backoff_jobs_schema_version(int* out_store_version, int* out_library_version, backoff_jobs_store* store) {
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    const int version = run(*store, false, [&] { return read_schema_version(*store->db); });
    if (out_store_version != nullptr) *out_store_version = version;
    if (out_library_version != nullptr) *out_library_version = kSchemaVersion;
    return BACKOFF_OK;
  });
}

int backoff_jobs_now(int64_t* out_ns, backoff_jobs_store* store) {
  JOBS_REQUIRE(out_ns);
  JOBS_ENTER(store);
  return jobs_guarded(__func__, [&]() -> int {
    // SQLite's clock is the machine's; PostgreSQL's is asked (before migration too, so not the function).
    *out_ns = store->db->dialect() == BACKOFF_JOBS_DIALECT_SQLITE
                  ? unix_now_ns()
                  : run(*store, false, [&] {
                      return store->db->query("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint * 1000", {})
                          .integer(0, 0);
                    });
    return BACKOFF_OK;
  });
}

int backoff_jobs_queue_set_policy(backoff_jobs_store* store, const char* queue, const backoff_policy* policy) {
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  return jobs_guarded(__func__, [&]() -> int {
    set_queue_policy(*store, queue, policy);
    return BACKOFF_OK;
  });
}

int backoff_jobs_queue_policy(backoff_policy** out, backoff_jobs_store* store, const char* queue) {
  JOBS_REQUIRE(out);
  JOBS_ENTER(store);
  JOBS_REQUIRE(queue);
  return jobs_guarded(__func__, [&]() -> int {
    *out = queue_policy(*store, queue);
    return BACKOFF_OK;
  });
}

int backoff_jobs_interrupt(backoff_jobs_store* store) {
  JOBS_REQUIRE(store);
  // write() is async-signal-safe; a full pipe already holds an interrupt.
  const char byte = 1;
  [[maybe_unused]] const ssize_t written = write(store->interrupt_write, &byte, 1);
  return BACKOFF_OK;
}

}
