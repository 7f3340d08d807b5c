#include "backoff/striped_counters.hpp"

namespace backoff {

unsigned this_thread_index() noexcept {
  static std::atomic<unsigned> next{0};
  // 0 means "not assigned yet": a constant initialiser needs no TLS guard on every call.
  thread_local unsigned index_plus_one = 0;
  if (index_plus_one == 0) index_plus_one = next.fetch_add(1, std::memory_order_relaxed) + 1;
  return index_plus_one - 1;
}

}  // namespace backoff
