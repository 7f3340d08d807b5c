/*
 * retry_flaky.c - retries a flaky operation through libbackoff's C API.
 *
 * The operation fails its first N calls (N is the first argument, 3 by default) and then succeeds. The
 * program retries it on an exponential schedule with full jitter, at most 5 attempts, really sleeping
 * between attempts (tens of milliseconds), and prints each wait and the outcome:
 *
 *     $ retry_flaky        succeeds on attempt 4
 *     $ retry_flaky 9      gives up after 5 attempts, exit status 1
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep under -std=c99 */

#include <backoff.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Stands in for a network call: fails while it has failures left. */
typedef struct {
  int failures_left;
} flaky_service;

static int call_service(flaky_service *service) {
  if (service->failures_left > 0) {
    --service->failures_left;
    return -1;
  }
  return 0;
}

static void sleep_ns(int64_t ns) {
  struct timespec wait;
  wait.tv_sec = (time_t)(ns / BACKOFF_SECOND);
  wait.tv_nsec = (long)(ns % BACKOFF_SECOND);
  while (nanosleep(&wait, &wait) != 0 && errno == EINTR) {
  }
}

static double ms(int64_t ns) { return (double)ns / (double)BACKOFF_MILLISECOND; }

/* 10 ms, doubling, capped at 80 ms, full jitter, at most 5 attempts: short, so the example runs fast. */
static backoff_policy *make_policy(void) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  int status = backoff_config_new(&config);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_INITIAL_NS,
                                                            10 * BACKOFF_MILLISECOND);
  if (status == BACKOFF_OK) status = backoff_config_set_f64(config, BACKOFF_PARAM_MULTIPLIER, 2.0);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_CAP_NS, 80 * BACKOFF_MILLISECOND);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_JITTER, BACKOFF_JITTER_FULL);
  if (status == BACKOFF_OK) status = backoff_config_set_i64(config, BACKOFF_PARAM_MAX_ATTEMPTS, 5);
  if (status == BACKOFF_OK) status = backoff_policy_new(&policy, config);
  backoff_config_free(config);
  if (status != BACKOFF_OK) fprintf(stderr, "libbackoff: %s: %s\n", backoff_strerror(status), backoff_last_error());
  return policy;
}

/* The schedule before jitter, as the policy computes it: each wait is drawn from [0, these]. */
static void print_schedule(const backoff_policy *policy) {
  int64_t max_attempts = 0, base_ns;
  uint64_t retry;
  backoff_policy_get_i64(&max_attempts, policy, BACKOFF_PARAM_MAX_ATTEMPTS);
  printf("schedule before jitter:");
  for (retry = 0; retry + 1 < (uint64_t)max_attempts; ++retry) {
    backoff_policy_base_delay(&base_ns, policy, retry);
    printf(" %.0f ms", ms(base_ns));
  }
  printf(" (full jitter draws each wait from [0, that])\n");
}

int main(int argc, char **argv) {
  flaky_service service = {argc > 1 ? atoi(argv[1]) : 3};
  backoff_policy *policy = make_policy();
  backoff_state *state = NULL;
  int64_t delay_ns = 0, waited_ns = 0;
  int attempt, succeeded = 0;

  if (policy == NULL || backoff_state_new(&state, policy) != BACKOFF_OK) return 2;
  printf("calling a service that fails its first %d calls\n", service.failures_left);
  print_schedule(policy);

  for (attempt = 1;; ++attempt) {
    if (call_service(&service) == 0) {
      succeeded = 1;
      printf("attempt %d succeeded after %.1f ms of waiting\n", attempt, ms(waited_ns));
      break;
    }
    backoff_state_next(&delay_ns, state, 0);
    if (delay_ns == BACKOFF_STOP) {
      printf("attempt %d failed; gave up after %d attempts and %.1f ms of waiting\n", attempt, attempt,
             ms(waited_ns));
      break;
    }
    printf("attempt %d failed; waiting %.1f ms\n", attempt, ms(delay_ns));
    sleep_ns(delay_ns);
    waited_ns += delay_ns;
  }

  backoff_state_free(state);
  backoff_policy_free(policy);
  return succeeded ? 0 : 1;
}
