#include "capi_jobs.hpp"

#include <string>

#include "store.hpp"

namespace backoff::jobs {

namespace {

int first_null(const char* function, std::initializer_list<Required> required) noexcept {
  for (const Required& argument : required) {
    if (argument.needed && argument.pointer == nullptr) return null_argument(function, argument.name);
  }
  return BACKOFF_OK;
}

}  // namespace

int refuse_entry(const char* function, std::initializer_list<Required> outs, const backoff_jobs_store* store,
                 bool store_guarded, std::initializer_list<Required> inputs) noexcept {
  if (const int refused = first_null(function, outs); refused != BACKOFF_OK) return refused;
  if (store_guarded) {
    if (store == nullptr) return null_argument(function, "store");
    if (store->in_handler) {
      return fail(BACKOFF_EREENTRANT, std::string(function) + ": called from a backoff_jobs_work handler on its own store");
    }
  }
  return first_null(function, inputs);
}

}  // namespace backoff::jobs
