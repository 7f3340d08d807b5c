// backoff_jobs.h compiles as C++17 under strict warnings (the C tests compile it as C99), and its
// extern "C" declarations link.
#include "backoff_jobs.h"

int main() {
  backoff_jobs_store* store = nullptr;
  const int status = backoff_jobs_open(&store, "sqlite::memory:");
  backoff_jobs_close(store);
  return status == BACKOFF_OK && backoff_jobs_name_of(BACKOFF_JOBS_ENUM_STATE, BACKOFF_JOBS_FAILED) != nullptr ? 0 : 1;
}
