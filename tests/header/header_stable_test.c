/* Without BACKOFF_EXPERIMENTAL, backoff.h declares nothing of its experimental tier: each name below is
 * declared again as a type, which is an error if the header declared it as a function. Built once more
 * with BACKOFF_EXPERIMENTAL defined, it must fail to compile (tests/header/CMakeLists.txt), so the check
 * can fail. */
#include "backoff.h"

typedef int backoff_breaker_poll_event;
typedef int backoff_budget_pool_free;
typedef int backoff_budget_pool_get;
typedef int backoff_budget_pool_new;
typedef int backoff_budget_pool_new_with_clock;
typedef int backoff_budget_pool_size;
typedef int backoff_limiter_acquire;
typedef int backoff_limiter_acquire_at;
typedef int backoff_limiter_capacity;
typedef int backoff_limiter_enabled;
typedef int backoff_limiter_fill_rate;
typedef int backoff_limiter_free;
typedef int backoff_limiter_measured_rate;
typedef int backoff_limiter_new;
typedef int backoff_limiter_new_with_clock;
typedef int backoff_limiter_record;
typedef int backoff_limiter_record_at;
typedef int backoff_limiter_tokens;
typedef int backoff_retrier_set_breaker;
typedef int backoff_retrier_set_budget;
typedef int backoff_retrier_set_limiter;
typedef int backoff_retrier_set_stats;
typedef int backoff_breaker_get_snapshot;

int main(void) { return backoff_version_number() == BACKOFF_VERSION_NUMBER ? 0 : 1; }
