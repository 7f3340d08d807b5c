/* One check, one message: a value that several entry points take is checked once, in the core, so every
 * entry point that refuses it says the same words. (Python's side: tests/python/test_vocabulary.py.) */
#include <stdlib.h>

#include "capi_check.h"
#include "capi_fixtures.h"

#define NEGATIVE_HINT_MESSAGE "hint_ns: must not be negative (got -5 ns)"

static int failing_with_negative_hint(int64_t *out_hint_ns, void *user_data) {
  (void)user_data;
  *out_hint_ns = -5;
  return BACKOFF_ATTEMPT_RETRYABLE;
}

static void a_negative_hint_is_refused_in_the_same_words_by_the_breaker_and_the_retry_loop(void) {
  backoff_breaker_config *breaker_config = NULL;
  backoff_breaker *breaker = NULL;
  backoff_policy *policy = policy_from_text("jitter=full");
  backoff_retrier *retrier = NULL;
  uint64_t permit = 0;
  int64_t wait_ns = 0;
  int op_status = 0;

  CHECK_STATUS(backoff_breaker_config_new(&breaker_config), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_new(&breaker, breaker_config), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_acquire(&permit, &wait_ns, breaker), BACKOFF_OK);
  CHECK_STATUS(backoff_breaker_record(breaker, permit, BACKOFF_OUTCOME_FAILURE, 0, -5), BACKOFF_EINVAL);
  CHECK(strcmp(backoff_last_error(), NEGATIVE_HINT_MESSAGE) == 0);

  CHECK_STATUS(backoff_retrier_new(&retrier, policy), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, failing_with_negative_hint, NULL), BACKOFF_EINVAL);
  CHECK(strcmp(backoff_last_error(), NEGATIVE_HINT_MESSAGE) == 0);
  CHECK_I64(op_status, BACKOFF_ATTEMPT_RETRYABLE);

  backoff_retrier_free(retrier);
  backoff_policy_free(policy);
  backoff_breaker_free(breaker);
  backoff_breaker_config_free(breaker_config);
}

int main(void) {
  RUN_CASE(a_negative_hint_is_refused_in_the_same_words_by_the_breaker_and_the_retry_loop);
  return check_summary();
}
