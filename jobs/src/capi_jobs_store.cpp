// Entry points: open, close, migrate, the clock, queue policies, interrupt.
#include <unistd.h>

#include "capi_jobs.hpp"
#include "migrations.hpp"

using namespace backoff::jobs;

extern "C" {

int backoff_jobs_open(backoff_jobs_store** out, const char* url) {
  return plain_entry(__func__, {{"out", out}, {"url", url}}, [&] { *out = open_store(url); });
}

void backoff_jobs_close(backoff_jobs_store* store) { delete store; }

int backoff_jobs_dialect_of(const backoff_jobs_store* store) {
  JOBS_REQUIRE(store);
  return store->db->dialect();
}

int backoff_jobs_migrate(int* out_version, backoff_jobs_store* store) {
  return store_entry(__func__, {}, store, {}, [&] {
    store->schema_version = run(*store, false, [&] { return migrate(*store->db); });
    set_optional(out_version, store->schema_version);
  });
}

int backoff_jobs_schema_version(int* out_store_version, int* out_library_version, backoff_jobs_store* store) {
  return store_entry(__func__, {}, store, {}, [&] {
    set_optional(out_store_version, run(*store, false, [&] { return read_schema_version(*store->db); }));
    set_optional(out_library_version, kSchemaVersion);
  });
}

int backoff_jobs_now(int64_t* out_ns, backoff_jobs_store* store) {
  return store_entry(__func__, {{"out_ns", out_ns}}, store, {}, [&] {
    // SQLite's clock is the machine's; PostgreSQL's is asked (before migration too, so not the function).
    *out_ns = store->db->dialect() == BACKOFF_JOBS_DIALECT_SQLITE
                  ? unix_now_ns()
                  : run(*store, false, [&] {
                      return store->db->query("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint * 1000", {})
                          .integer(0, 0);
                    });
  });
}

int backoff_jobs_queue_set_policy(backoff_jobs_store* store, const char* queue, const backoff_policy* policy) {
  return store_entry(__func__, {}, store, {{"queue", queue}}, [&] { set_queue_policy(*store, queue, policy); });
}

int backoff_jobs_queue_policy(backoff_policy** out, backoff_jobs_store* store, const char* queue) {
  return store_entry(__func__, {{"out", out}}, store, {{"queue", queue}}, [&] { *out = queue_policy(*store, queue); });
}

int backoff_jobs_interrupt(backoff_jobs_store* store) {
  JOBS_REQUIRE(store);
  // write() is async-signal-safe; a full pipe already holds an interrupt.
  const char byte = 1;
  [[maybe_unused]] const ssize_t written = write(store->interrupt_write, &byte, 1);
  return BACKOFF_OK;
}

}
