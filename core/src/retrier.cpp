#include "backoff/retrier.hpp"

#include "backoff/saturating.hpp"

namespace backoff {

std::int64_t Retrier::on_failure_at(std::int64_t now_ns, std::int64_t hint_ns) noexcept {
  count_failure();
  const std::int64_t delay_ns = backoff_.next_at(now_ns, hint_ns);
  if (delay_ns != kStop) idle_ns_ = saturating_add(idle_ns_, delay_ns);
  return delay_ns;
}

}  // namespace backoff
