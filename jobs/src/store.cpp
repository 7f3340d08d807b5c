#include "store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "migrations.hpp"
#include "url.hpp"

backoff_jobs_store::~backoff_jobs_store() {
  if (interrupt_read >= 0) close(interrupt_read);
  if (interrupt_write >= 0) close(interrupt_write);
}

namespace backoff::jobs {

backoff_jobs_store* open_store(const char* url) {
  const StoreUrl where = parse_store_url(url);
  auto store = std::make_unique<backoff_jobs_store>();
  store->db = where.dialect == BACKOFF_JOBS_DIALECT_POSTGRESQL ? open_postgres(where.target) : open_sqlite(where.target);
  store->schema_version = read_schema_version(*store->db);
  refuse_newer(store->schema_version);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) throw JobsError(BACKOFF_JOBS_ESTORE, "cannot create the interrupt pipe");
  store->interrupt_read = fds[0];
  store->interrupt_write = fds[1];
  return store.release();
}

void require_migrated(const backoff_jobs_store& store) {
  if (store.schema_version == kSchemaVersion) return;
  throw JobsError(BACKOFF_JOBS_ESCHEMA, "schema: store is at version " + std::to_string(store.schema_version) +
                                            ", this library needs " + std::to_string(kSchemaVersion) +
                                            "; run backoff_jobs_migrate() (backoff jobs migrate)");
}

bool take_interrupt(backoff_jobs_store& store) noexcept {
  char drained[64];
  bool any = false;
  while (read(store.interrupt_read, drained, sizeof drained) > 0) any = true;
  return any;
}

}  // namespace backoff::jobs
