#include "kind_breakers.hpp"

#include "jobs_error.hpp"

namespace backoff::jobs {
namespace {

backoff_breaker_pool* new_pool(const backoff_breaker_config& config) {
  backoff_breaker_pool* pool = nullptr;
  const int status = backoff_breaker_pool_new(&pool, &config, kMaxBreakerKinds);
  if (status != BACKOFF_OK) throw JobsError(status, backoff_last_error());
  return pool;
}

int outcome_of(int attempt) {
  switch (attempt) {
    case BACKOFF_ATTEMPT_SUCCESS: return BACKOFF_OUTCOME_SUCCESS;
    case BACKOFF_ATTEMPT_PERMANENT: return BACKOFF_OUTCOME_IGNORED;
    default: return BACKOFF_OUTCOME_FAILURE;  // retryable, as the worker loop reads every other value
  }
}

}  // namespace

KindBreakers::KindBreakers(const backoff_breaker_config& config) : pool_(new_pool(config), backoff_breaker_pool_free) {}

KindBreakers::Admission KindBreakers::admit(const char* type) {
  Admission admission{0, 0};
  const int status = backoff_breaker_pool_acquire(&admission.permit, &admission.wait_ns, pool_.get(), type);
  if (status != BACKOFF_OK && status != BACKOFF_EOPEN) throw JobsError(status, backoff_last_error());
  return admission;
}

void KindBreakers::record(const char* type, std::uint64_t permit, int attempt, std::int64_t took_ns,
                          std::int64_t hint_ns) {
  const int status = backoff_breaker_pool_record(pool_.get(), type, permit, outcome_of(attempt), took_ns, hint_ns);
  if (status != BACKOFF_OK) throw JobsError(status, backoff_last_error());
}

}  // namespace backoff::jobs
