#include "connection.hpp"

#include <ctime>

namespace backoff::jobs {

std::int64_t unix_now_ns() noexcept {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace backoff::jobs
