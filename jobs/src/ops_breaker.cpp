// The two decisions the per-type breakers make for a claimed job (backoff_jobs_set_breaker): may it run,
// and what did its run say. backoff_jobs_work() and the backoff_jobs_breaker_* entry points both call
// these, so a worker with its own loop (the Python asyncio worker) follows the C loop's rules exactly.
#include <algorithm>

#include "limits.hpp"
#include "ops.hpp"
#include "validate.hpp"

namespace backoff::jobs {
namespace {

// How long a job refused by its type's breaker waits: the breaker's wait, at least kMinSnoozeNs (a
// half-open breaker whose probe is out says 0: the job must not come straight back to the claim loop)
// and at most a lease's longest (an isolated breaker says forever: the job is refused again then).
constexpr std::int64_t kMinSnoozeNs = 1'000'000;
std::int64_t snooze_ns(std::int64_t breaker_wait_ns) { return std::clamp(breaker_wait_ns, kMinSnoozeNs, kMaxLeaseNs); }

}  // namespace

Admitted breaker_admit(backoff_jobs_store& store, const char* type, std::int64_t job_id, std::int64_t token,
                       const char* function) {
  checked_name("type", type);
  if (store.breakers == nullptr) return {0, 0};
  const KindBreakers::Admission admission = store.breakers->admit(type);
  if (admission.permit != 0) return {admission.permit, 0};
  const std::int64_t delay_ns = snooze_ns(admission.wait_ns);
  snooze(store, job_id, token, delay_ns, function);
  ++store.snoozed;
  return {0, delay_ns};
}

void breaker_record(backoff_jobs_store& store, const char* type, std::uint64_t permit, int attempt,
                    std::int64_t hint_ns, std::int64_t duration_ns) {
  checked_name("type", type);
  if (hint_ns < 0) throw_invalid("hint_ns", "must not be negative", static_cast<long long>(hint_ns));
  if (duration_ns < 0) throw_invalid("duration_ns", "must not be negative", static_cast<long long>(duration_ns));
  // Permit 0: admitted without breakers. A permit of breakers replaced since is stale in the new pool.
  if (permit == 0 || store.breakers == nullptr) return;
  store.breakers->record(type, permit, attempt, duration_ns, hint_ns);
}

}  // namespace backoff::jobs
