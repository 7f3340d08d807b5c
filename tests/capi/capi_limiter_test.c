/* The adaptive limiter's C entry points: bad input, the AWS constants on a scripted sequence worked out by
 * hand (as tests/core/adaptive_limiter_test.cpp), fail-fast mode, and a retrier that waits for its tokens.
 * Compiled as C99. */
#define BACKOFF_EXPERIMENTAL /* the limiter is in the experimental tier */
#include <math.h>
#include <stdint.h>

#include "backoff.h"
#include "capi_check.h"
#include "capi_retry_fixtures.h"

static const int64_t kSecond = BACKOFF_SECOND;
static const int64_t kMs = BACKOFF_MILLISECOND;
/* (1 - 0.5 tokens) / 1.792 tokens a second, rounded up to the nanosecond. */
static const int64_t kFirstWait = 279017858;

static int near(double actual, double expected) { return fabs(actual - expected) <= 1e-9 * fmax(1, fabs(expected)); }

/* Three successes at 0, 0.25 and 0.5 s, then a throttle at 1 s: measured 2.56/s, fill rate and capacity
 * 0.7 * 2.56 = 1.792, 0.5 tokens (worked out in tests/core/adaptive_limiter_test.cpp). */
static void script_until_first_throttle(backoff_limiter *limiter) {
  CHECK_STATUS(backoff_limiter_record_at(limiter, 0, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_record_at(limiter, 250 * kMs, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_record_at(limiter, 500 * kMs, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_record_at(limiter, kSecond, 1), BACKOFF_OK);
}

static void test_bad_input_names_the_argument_and_changes_nothing(void) {
  backoff_limiter *limiter = NULL;
  int64_t wait_ns = -1;
  double value = -1;
  int enabled = -1;
  CHECK_ERROR(backoff_limiter_new(&limiter, 2), BACKOFF_EINVAL, "fail_fast: must be 0 or 1 (got 2)");
  CHECK(limiter == NULL);
  CHECK_ERROR(backoff_limiter_new(NULL, 0), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_limiter_new_with_clock(&limiter, 0, NULL, NULL), BACKOFF_ENULL, "clock");
  CHECK_STATUS(backoff_limiter_new(&limiter, 0), BACKOFF_OK);
  CHECK_ERROR(backoff_limiter_record_at(limiter, kSecond, -1), BACKOFF_EINVAL, "throttled: must be 0 or 1 (got -1)");
  CHECK_STATUS(backoff_limiter_enabled(&enabled, limiter), BACKOFF_OK);
  CHECK_I64(enabled, 0);  /* the bad throttle was not recorded */
  CHECK_ERROR(backoff_limiter_record(NULL, 0), BACKOFF_ENULL, "limiter");
  CHECK_ERROR(backoff_limiter_acquire(NULL, limiter), BACKOFF_ENULL, "out_wait_ns");
  CHECK_ERROR(backoff_limiter_acquire_at(&wait_ns, NULL, 0), BACKOFF_ENULL, "limiter");
  CHECK_ERROR(backoff_limiter_fill_rate(NULL, limiter), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_limiter_tokens(&value, NULL), BACKOFF_ENULL, "limiter");
  CHECK_ERROR(backoff_retrier_set_limiter(NULL, limiter), BACKOFF_ENULL, "retrier");
  backoff_limiter_free(limiter);
  backoff_limiter_free(NULL);
}

static void test_aws_constants_on_a_scripted_sequence(void) {
  backoff_limiter *limiter = NULL;
  double fill = 0, measured = 0, capacity = 0, tokens = 0;
  int enabled = 0;
  int64_t wait_ns = -1;
  CHECK_STATUS(backoff_limiter_new(&limiter, 0), BACKOFF_OK);
  /* Gating is off until the first throttle. */
  CHECK_STATUS(backoff_limiter_acquire_at(&wait_ns, limiter, 0), BACKOFF_OK);
  CHECK_I64(wait_ns, 0);
  script_until_first_throttle(limiter);
  CHECK_STATUS(backoff_limiter_fill_rate(&fill, limiter), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_measured_rate(&measured, limiter), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_capacity(&capacity, limiter), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_tokens(&tokens, limiter), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_enabled(&enabled, limiter), BACKOFF_OK);
  CHECK(near(fill, 1.792));
  CHECK(near(measured, 2.56));
  CHECK(near(capacity, 1.792));
  CHECK(near(tokens, 0.5));
  CHECK_I64(enabled, 1);
  /* Short of a token: told when one will be there, nothing taken; then it is. */
  CHECK_STATUS(backoff_limiter_acquire_at(&wait_ns, limiter, kSecond), BACKOFF_OK);
  CHECK_I64(wait_ns, kFirstWait);
  CHECK_STATUS(backoff_limiter_acquire_at(&wait_ns, limiter, kSecond + kFirstWait), BACKOFF_OK);
  CHECK_I64(wait_ns, 0);
  /* t=2: measured 0.8 * 1/1.0 + 0.2 * 2.56 = 1.312; curve 0.4 (1 - cbrt(1.92))^3 + 2.56. */
  CHECK_STATUS(backoff_limiter_record_at(limiter, 2 * kSecond, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_fill_rate(&fill, limiter), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_measured_rate(&measured, limiter), BACKOFF_OK);
  CHECK(near(fill, 2.554268015584957));
  CHECK(near(measured, 1.312));
  backoff_limiter_free(limiter);
}

static void test_fail_fast_refuses_without_taking(void) {
  backoff_limiter *limiter = NULL;
  int64_t wait_ns = -1;
  double tokens = 0;
  CHECK_STATUS(backoff_limiter_new(&limiter, 1), BACKOFF_OK);
  script_until_first_throttle(limiter);
  CHECK_STATUS(backoff_limiter_acquire_at(&wait_ns, limiter, kSecond), BACKOFF_EBUDGET);
  CHECK_I64(wait_ns, kFirstWait);
  CHECK_STATUS(backoff_limiter_tokens(&tokens, limiter), BACKOFF_OK);
  CHECK(near(tokens, 0.5));
  backoff_limiter_free(limiter);
}

static int throttled_then_success(int64_t *out_hint_ns, void *user_data) {
  int *calls = (int *)user_data;
  (void)out_hint_ns;
  return (*calls)++ == 0 ? BACKOFF_ATTEMPT_THROTTLED : BACKOFF_ATTEMPT_SUCCESS;
}

/* The run loop sleeps the limiter's wait before the first attempt, then the policy's 1 s after the throttle
 * (by which the bucket, cut to 0.7 * 1.792 = 1.2544/s, has a token again), and records both responses. */
static void test_run_loop_waits_for_tokens_and_records_throttles(void) {
  sim_time time = {0};
  backoff_limiter *limiter = NULL;
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, &time);
  int calls = 0, op_status = -1;
  double measured = 0;
  CHECK_STATUS(backoff_limiter_new_with_clock(&limiter, 0, sim_clock, &time), BACKOFF_OK);
  script_until_first_throttle(limiter);
  time.now_ns = kSecond;
  CHECK_STATUS(backoff_retrier_set_limiter(retrier, limiter), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_run(&op_status, retrier, throttled_then_success, &calls), BACKOFF_OK);
  CHECK_I64(calls, 2);
  CHECK_I64(time.sleeps, 2);
  CHECK_I64(time.slept_ns[0], kFirstWait);
  CHECK_I64(time.slept_ns[1], kSecond);
  /* Both responses were counted: at 2.28 s (bucket 4) measured = 0.8 * 2/1.0 + 0.2 * 2.56. */
  CHECK_STATUS(backoff_limiter_measured_rate(&measured, limiter), BACKOFF_OK);
  CHECK(near(measured, 2.112));
  backoff_limiter_free(limiter); /* the retrier keeps its own reference */
  CHECK_STATUS(backoff_retrier_reset(retrier), BACKOFF_OK);
  backoff_retrier_free(retrier);
}

static void test_pull_style_before_attempt(void) {
  backoff_limiter *waiting = NULL, *failing = NULL;
  backoff_retrier *retrier = sim_retrier(EVERY_SECOND, NULL);
  int64_t wait_ns = -1;
  int outcome = -1;
  CHECK_STATUS(backoff_limiter_new(&waiting, 0), BACKOFF_OK);
  CHECK_STATUS(backoff_limiter_new(&failing, 1), BACKOFF_OK);
  script_until_first_throttle(waiting);
  script_until_first_throttle(failing);
  CHECK_STATUS(backoff_retrier_set_limiter(retrier, waiting), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_reset_at(retrier, kSecond), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, kSecond), BACKOFF_OK);
  CHECK_I64(wait_ns, kFirstWait);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, kSecond + kFirstWait), BACKOFF_OK);
  CHECK_I64(wait_ns, 0);
  CHECK_STATUS(backoff_retrier_on_success_at(retrier, kSecond + kFirstWait), BACKOFF_OK);

  CHECK_STATUS(backoff_retrier_set_limiter(retrier, failing), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_reset_at(retrier, kSecond), BACKOFF_OK);
  CHECK_STATUS(backoff_retrier_before_attempt_at(&wait_ns, retrier, kSecond), BACKOFF_EBUDGET);
  CHECK_I64(wait_ns, kFirstWait);
  CHECK_STATUS(backoff_retrier_get_outcome(&outcome, retrier), BACKOFF_OK);
  CHECK_I64(outcome, BACKOFF_RETRY_BUDGET_EXHAUSTED);
  backoff_retrier_free(retrier);
  backoff_limiter_free(waiting);
  backoff_limiter_free(failing);
}

/* The simulation of tests/core/adaptive_limiter_test.cpp through the ABI, for one case: a service taking
 * R = 100 requests a second (the first 50 of each half-second bucket; the rest are throttled), 10 greedy
 * clients sharing one limiter, 20 ms latency, 60 seconds of virtual time, one second a round. Each client
 * asks for a token, waits what it is told and asks again, sends, and on the response records it and asks
 * again at once. Claims: a round at 90-110 R in every 20 rounds; after round 2 no round over 1.1 R, and
 * under 5% of requests throttled. */
enum { kClients = 10, kRounds = 60, kCapacity = 100 };

typedef struct client {
  int64_t at_ns;  /* when the client acts next */
  int waiting;    /* 1: its request is in flight, answered at at_ns */
  int throttled;  /* the answer it will get */
} client;

static void test_simulated_service_converges_without_overshoot(void) {
  backoff_limiter *limiter = NULL;
  client clients[kClients];
  int sent[kRounds] = {0}, throttled[kRounds] = {0};
  int64_t bucket = -1;
  int in_bucket = 0, i, round, window, total_sent = 0, total_throttled = 0;
  CHECK_STATUS(backoff_limiter_new(&limiter, 0), BACKOFF_OK);
  for (i = 0; i < kClients; ++i) {
    clients[i].at_ns = i * kMs;
    clients[i].waiting = clients[i].throttled = 0;
  }
  for (;;) {
    client *next = &clients[0];
    int64_t wait_ns = 0;
    for (i = 1; i < kClients; ++i) {
      if (clients[i].at_ns < next->at_ns) next = &clients[i];
    }
    if (next->at_ns >= kRounds * kSecond) break;
    if (next->waiting) {
      backoff_limiter_record_at(limiter, next->at_ns, next->throttled);
      next->waiting = 0;
      continue;
    }
    backoff_limiter_acquire_at(&wait_ns, limiter, next->at_ns);
    if (wait_ns > 0) {
      next->at_ns += wait_ns;
      continue;
    }
    if (next->at_ns / (500 * kMs) != bucket) {
      bucket = next->at_ns / (500 * kMs);
      in_bucket = 0;
    }
    next->throttled = ++in_bucket > kCapacity / 2;
    ++sent[next->at_ns / kSecond];
    throttled[next->at_ns / kSecond] += next->throttled;
    next->waiting = 1;
    next->at_ns += 20 * kMs;
  }
  for (window = 0; window < kRounds; window += 20) {
    int peak = 0;
    for (round = window; round < window + 20; ++round) peak = sent[round] > peak ? sent[round] : peak;
    CHECK_IN_RANGE(peak, 90, 110);
  }
  for (round = 2; round < kRounds; ++round) {
    CHECK_IN_RANGE(sent[round], 0, 110);
    total_sent += sent[round];
    total_throttled += throttled[round];
  }
  CHECK(total_throttled * 20 < total_sent);
  backoff_limiter_free(limiter);
}

int main(void) {
  RUN_CASE(test_bad_input_names_the_argument_and_changes_nothing);
  RUN_CASE(test_aws_constants_on_a_scripted_sequence);
  RUN_CASE(test_fail_fast_refuses_without_taking);
  RUN_CASE(test_run_loop_waits_for_tokens_and_records_throttles);
  RUN_CASE(test_pull_style_before_attempt);
  RUN_CASE(test_simulated_service_converges_without_overshoot);
  return check_summary();
}
