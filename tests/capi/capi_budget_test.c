/* The retry budget's C entry points: every one with bad input, and the calibrations through the ABI.
 * Compiled as C99. */
#define BACKOFF_EXPERIMENTAL /* also tests the experimental tier of backoff.h */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "backoff.h"
#include "capi_check.h"


static const int64_t kSecond = BACKOFF_SECOND;

static int64_t manual_clock(void *user_data) { return *(const int64_t *)user_data; }

static backoff_budget *new_budget(const char *calibration) {
  backoff_budget_config *config = NULL;
  backoff_budget *budget = NULL;
  CHECK(backoff_budget_config_new(&config) == BACKOFF_OK);
  CHECK(backoff_budget_config_set_text(config, "calibration", calibration) == BACKOFF_OK);
  CHECK(backoff_budget_new(&budget, config) == BACKOFF_OK);
  backoff_budget_config_free(config);
  return budget;
}

static void test_parameter_lookup(void) {
  check_param_from_name(backoff_budget_param_from_name, "token_ratio", BACKOFF_BUDGET_PARAM_TOKEN_RATIO, "ratio");
  check_param_ids_end_at(backoff_budget_param_name, backoff_budget_param_type, 11);
  CHECK_FAMILY_PARAM_IS(backoff_budget, BACKOFF_BUDGET_PARAM_TTL_NS, "ttl", BACKOFF_TYPE_DURATION);
  CHECK_FAMILY_PARAM_IS(backoff_budget, BACKOFF_BUDGET_PARAM_CAPACITY, "capacity", BACKOFF_TYPE_REAL);
  CHECK(strcmp(backoff_strerror(BACKOFF_EBUDGET), "retry budget exhausted") == 0);
}

static void test_config_rejects_bad_input(void) {
  backoff_budget_config *config = NULL;
  backoff_budget *budget = NULL;
  int64_t now = 0;
  CHECK_CONFIG_FAMILY_REJECTS(backoff_budget_, 11, BACKOFF_BUDGET_PARAM_TTL_NS, BACKOFF_BUDGET_PARAM_CAPACITY);
  CHECK(backoff_budget_config_new(&config) == BACKOFF_OK);
  CHECK_ERROR(backoff_budget_config_set_i64(config, BACKOFF_BUDGET_PARAM_TTL_NS, -1), BACKOFF_EINVAL, "ttl");
  CHECK_ERROR(backoff_budget_config_set_i64(config, BACKOFF_BUDGET_PARAM_CALIBRATION, 3), BACKOFF_EUNKNOWN,
              "calibration");

  CHECK_ERROR(backoff_budget_config_set_f64(config, BACKOFF_BUDGET_PARAM_CAPACITY, INFINITY), BACKOFF_EINVAL, "inf");
  CHECK_ERROR(backoff_budget_config_set_f64(config, BACKOFF_BUDGET_PARAM_MAX_TOKENS, 2000), BACKOFF_EINVAL,
                                            "max_tokens");

  CHECK_ERROR(backoff_budget_config_set_text(config, "calibration", "envoy"), BACKOFF_EUNKNOWN, "finagle");
  CHECK_ERROR(backoff_budget_config_set_text(config, "capacity", "lots"), BACKOFF_EINVAL, "capacity");

  /* A Finagle knob on the default AWS budget. */
  CHECK(backoff_budget_config_set_text(config, "ttl", "5s") == BACKOFF_OK);
  CHECK_ERROR(backoff_budget_new(&budget, config), BACKOFF_EINVAL, "finagle");
  CHECK_ERROR(backoff_budget_new(NULL, config), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_budget_new(&budget, NULL), BACKOFF_ENULL, "config");
  CHECK_ERROR(backoff_budget_new_with_clock(&budget, config, NULL, &now), BACKOFF_ENULL, "clock");
  CHECK(budget == NULL);
  backoff_budget_free(NULL);
  backoff_budget_config_free(config);
}

static void test_calls_reject_bad_input(void) {
  backoff_budget *budget = new_budget("aws");
  uint64_t ticket = 0, count = 0;
  int64_t balance = 0, value = 0;
  double real = 0;

  CHECK_ERROR(backoff_budget_record_request(NULL), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_record_request_at(NULL, 0), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_record_failure(NULL), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_withdraw(&ticket, NULL, BACKOFF_ERROR_ORDINARY), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_withdraw(NULL, budget, BACKOFF_ERROR_ORDINARY), BACKOFF_ENULL, "out_ticket");
  CHECK_ERROR(backoff_budget_withdraw(&ticket, budget, 3), BACKOFF_EUNKNOWN, "error_class");
  CHECK_ERROR(backoff_budget_withdraw_at(&ticket, NULL, 0, BACKOFF_ERROR_ORDINARY), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_withdraw_at(NULL, budget, 0, BACKOFF_ERROR_ORDINARY), BACKOFF_ENULL, "out_ticket");
  CHECK_ERROR(backoff_budget_withdraw_at(&ticket, budget, 0, -1), BACKOFF_EUNKNOWN, "error_class");
  CHECK_ERROR(backoff_budget_record_success(NULL, 0), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_record_success(budget, 4), BACKOFF_EINVAL, "ticket");
  CHECK_ERROR(backoff_budget_record_success_at(NULL, 0, 0), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_record_success_at(budget, 0, UINT64_MAX), BACKOFF_EINVAL, "ticket");
  CHECK_ERROR(backoff_budget_refund(NULL, 0), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_refund(budget, 6), BACKOFF_EINVAL, "ticket");
  CHECK_ERROR(backoff_budget_refund_at(NULL, 0, 0), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_refund_at(budget, 0, 8), BACKOFF_EINVAL, "ticket");
  CHECK_ERROR(backoff_budget_balance(&balance, NULL), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_balance(NULL, budget), BACKOFF_ENULL, "out_milli");
  CHECK_ERROR(backoff_budget_balance_at(&balance, NULL, 0), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_balance_at(NULL, budget, 0), BACKOFF_ENULL, "out_milli");
  CHECK_ERROR(backoff_budget_get_count(&count, NULL, BACKOFF_BUDGET_COUNT_GRANTED), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_get_count(NULL, budget, BACKOFF_BUDGET_COUNT_GRANTED), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_budget_get_count(&count, budget, 2), BACKOFF_EUNKNOWN, "2");
  CHECK_ERROR(backoff_budget_get_i64(&value, NULL, BACKOFF_BUDGET_PARAM_TTL_NS), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_get_i64(NULL, budget, BACKOFF_BUDGET_PARAM_TTL_NS), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_budget_get_i64(&value, budget, BACKOFF_BUDGET_PARAM_CAPACITY), BACKOFF_ETYPE, "capacity");
  CHECK_ERROR(backoff_budget_get_i64(&value, budget, 50), BACKOFF_EUNKNOWN, "50");
  CHECK(backoff_budget_get_i64(&value, budget, BACKOFF_BUDGET_PARAM_CALIBRATION) == BACKOFF_OK);
  CHECK(value == BACKOFF_BUDGET_AWS);
  CHECK_ERROR(backoff_budget_get_f64(&real, NULL, BACKOFF_BUDGET_PARAM_CAPACITY), BACKOFF_ENULL, "budget");
  CHECK_ERROR(backoff_budget_get_f64(NULL, budget, BACKOFF_BUDGET_PARAM_CAPACITY), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_budget_get_f64(&real, budget, BACKOFF_BUDGET_PARAM_TTL_NS), BACKOFF_ETYPE, "ttl");
  CHECK(backoff_budget_get_f64(&real, budget, BACKOFF_BUDGET_PARAM_CAPACITY) == BACKOFF_OK);
  CHECK(real == 500.0);
  CHECK(backoff_budget_balance(&balance, budget) == BACKOFF_OK);
  CHECK(balance == 500000); /* none of the rejected calls moved a token */
  backoff_budget_free(budget);
}

static void test_aws_through_the_abi(void) {
  backoff_budget *budget = new_budget("aws");
  uint64_t ticket = 0, last = 0, count = 0;
  int64_t balance = 0;
  int granted = 0;
  while (backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_TIMEOUT) == BACKOFF_OK) {
    ++granted;
    last = ticket;
  }
  CHECK(granted == 50);
  /* A refusal is a decision: the ticket is 0, and the last error is not touched. */
  CHECK_ERROR(backoff_budget_refund(budget, 2), BACKOFF_EINVAL, "ticket");
  ticket = 99;
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_EBUDGET);
  CHECK(ticket == 0);
  CHECK(strstr(backoff_last_error(), "ticket") != NULL);
  CHECK(backoff_budget_refund(budget, 0) == BACKOFF_OK);
  CHECK(backoff_budget_record_success(budget, last) == BACKOFF_OK); /* the retry's cost comes back */
  CHECK(backoff_budget_balance(&balance, budget) == BACKOFF_OK);
  CHECK(balance == 10000);
  CHECK(backoff_budget_record_success(budget, 0) == BACKOFF_OK);
  CHECK(backoff_budget_balance_at(&balance, budget, 0) == BACKOFF_OK);
  CHECK(balance == 11000);
  CHECK(backoff_budget_record_request(budget) == BACKOFF_OK); /* AWS deposits nothing per request */
  CHECK(backoff_budget_record_failure(budget) == BACKOFF_OK); /* nor charges failures */
  CHECK(backoff_budget_balance(&balance, budget) == BACKOFF_OK);
  CHECK(balance == 11000);
  CHECK(backoff_budget_get_count(&count, budget, BACKOFF_BUDGET_COUNT_GRANTED) == BACKOFF_OK);
  CHECK(count == 50);
  CHECK(backoff_budget_get_count(&count, budget, BACKOFF_BUDGET_COUNT_REFUSED) == BACKOFF_OK);
  CHECK(count == 2);
  backoff_budget_free(budget);
}

static void test_grpc_through_the_abi(void) {
  backoff_budget *budget = new_budget("grpc");
  uint64_t ticket = 0;
  int i;
  for (i = 0; i < 4; ++i) CHECK(backoff_budget_record_failure(budget) == BACKOFF_OK);
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_OK);
  CHECK(backoff_budget_record_failure(budget) == BACKOFF_OK);
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_EBUDGET);
  backoff_budget_free(budget);
}

static void test_finagle_through_the_abi(void) {
  backoff_budget_config *config = NULL;
  backoff_budget *budget = NULL;
  int64_t now = 0, balance = 0;
  uint64_t ticket = 0;
  int i;
  CHECK(backoff_budget_config_new(&config) == BACKOFF_OK);
  CHECK(backoff_budget_config_set_i64(config, BACKOFF_BUDGET_PARAM_CALIBRATION,
                                      BACKOFF_BUDGET_FINAGLE) == BACKOFF_OK);
  CHECK(backoff_budget_config_set_f64(config, BACKOFF_BUDGET_PARAM_PERCENT_CAN_RETRY, 0.5) == BACKOFF_OK);
  CHECK(backoff_budget_config_set_i64(config, BACKOFF_BUDGET_PARAM_MIN_RETRIES_PER_SECOND, 0) == BACKOFF_OK);
  CHECK(backoff_budget_new_with_clock(&budget, config, manual_clock, &now) == BACKOFF_OK);
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_EBUDGET); /* no reserve */
  for (i = 0; i < 4; ++i) CHECK(backoff_budget_record_request(budget) == BACKOFF_OK);
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_OK);
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_OK);
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_EBUDGET);
  CHECK(backoff_budget_record_request_at(budget, 0) == BACKOFF_OK);
  CHECK(backoff_budget_balance(&balance, budget) == BACKOFF_OK);
  CHECK(balance == 500);
  now = 20 * kSecond; /* everything has expired */
  CHECK(backoff_budget_balance(&balance, budget) == BACKOFF_OK);
  CHECK(balance == 0);
  CHECK(backoff_budget_withdraw_at(&ticket, budget, now, BACKOFF_ERROR_ORDINARY) == BACKOFF_EBUDGET);
  backoff_budget_free(budget);
  backoff_budget_config_free(config);
}

static void test_pool_through_the_abi(void) {
  backoff_budget_config *config = NULL;
  backoff_budget_pool *pool = NULL;
  backoff_budget *a = NULL, *a_again = NULL, *b = NULL;
  uint64_t ticket = 0;
  int64_t size = 0, balance = 0, now = 0;
  CHECK(backoff_budget_config_new(&config) == BACKOFF_OK);
  CHECK_ERROR(backoff_budget_pool_new(NULL, config, 4), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_budget_pool_new(&pool, NULL, 4), BACKOFF_ENULL, "config");
  CHECK_ERROR(backoff_budget_pool_new(&pool, config, 0), BACKOFF_EINVAL, "max_keys");
  CHECK_ERROR(backoff_budget_pool_new_with_clock(&pool, config, 4, NULL, &now), BACKOFF_ENULL, "clock");
  CHECK(pool == NULL);
  CHECK(backoff_budget_pool_new_with_clock(&pool, config, 1, manual_clock, &now) == BACKOFF_OK);
  backoff_budget_config_free(config); /* the pool holds a copy */
  CHECK_ERROR(backoff_budget_pool_get(&a, NULL, "a"), BACKOFF_ENULL, "pool");
  CHECK_ERROR(backoff_budget_pool_get(&a, pool, NULL), BACKOFF_ENULL, "key");
  CHECK_ERROR(backoff_budget_pool_get(NULL, pool, "a"), BACKOFF_ENULL, "out");
  CHECK_ERROR(backoff_budget_pool_size(&size, NULL), BACKOFF_ENULL, "pool");
  CHECK_ERROR(backoff_budget_pool_size(NULL, pool), BACKOFF_ENULL, "out");

  CHECK(backoff_budget_pool_get(&a, pool, "a") == BACKOFF_OK);
  CHECK(backoff_budget_pool_get(&a_again, pool, "a") == BACKOFF_OK);
  CHECK(backoff_budget_withdraw(&ticket, a, BACKOFF_ERROR_ORDINARY) == BACKOFF_OK);
  CHECK(backoff_budget_balance(&balance, a_again) == BACKOFF_OK);
  CHECK(balance == 495000); /* two handles, one budget */
  CHECK(backoff_budget_pool_get(&b, pool, "b") == BACKOFF_OK); /* max_keys 1: "a" is dropped */
  CHECK_ERROR(backoff_budget_refund(b, ticket), BACKOFF_EINVAL, "ticket"); /* a's ticket is no good to b */
  CHECK(backoff_budget_balance(&balance, b) == BACKOFF_OK);
  CHECK(balance == 500000);
  CHECK(backoff_budget_pool_size(&size, pool) == BACKOFF_OK);
  CHECK(size == 1);
  backoff_budget_pool_free(pool);
  CHECK(backoff_budget_balance(&balance, a) == BACKOFF_OK); /* handles outlive the pool */
  CHECK(balance == 495000);
  backoff_budget_free(a);
  backoff_budget_free(a_again);
  backoff_budget_free(b);
  backoff_budget_pool_free(NULL);
}

static void test_forged_and_repeated_tickets_change_nothing(void) {
  backoff_budget *budget = new_budget("aws");
  backoff_budget *other = new_budget("aws");
  uint64_t ticket = 0, theirs = 0;
  int64_t balance = 0;
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_ORDINARY) == BACKOFF_OK);
  CHECK_ERROR(backoff_budget_refund(budget, 12345), BACKOFF_EINVAL, "12345");
  CHECK_ERROR(backoff_budget_record_success(budget, 12345), BACKOFF_EINVAL, "ticket");
  CHECK(backoff_budget_withdraw(&theirs, other, BACKOFF_ERROR_ORDINARY) == BACKOFF_OK);
  CHECK_ERROR(backoff_budget_refund(budget, theirs), BACKOFF_EINVAL, "ticket"); /* another budget's */
  CHECK(backoff_budget_balance(&balance, budget) == BACKOFF_OK);
  CHECK(balance == 495000);

  CHECK(backoff_budget_refund(budget, ticket) == BACKOFF_OK);
  CHECK_ERROR(backoff_budget_refund(budget, ticket), BACKOFF_EINVAL, "ticket");
  CHECK_ERROR(backoff_budget_record_success_at(budget, 0, ticket), BACKOFF_EINVAL, "ticket");
  CHECK(backoff_budget_withdraw(&ticket, budget, BACKOFF_ERROR_TIMEOUT) == BACKOFF_OK);
  CHECK(backoff_budget_record_success(budget, ticket) == BACKOFF_OK);
  CHECK_ERROR(backoff_budget_refund_at(budget, 0, ticket), BACKOFF_EINVAL, "ticket");
  CHECK(backoff_budget_balance(&balance, budget) == BACKOFF_OK);
  CHECK(balance == 500000); /* each ticket credited once */
  backoff_budget_free(budget);
  backoff_budget_free(other);
}

int main(void) {
  RUN_CASE(test_parameter_lookup);
  RUN_CASE(test_config_rejects_bad_input);
  RUN_CASE(test_calls_reject_bad_input);
  RUN_CASE(test_aws_through_the_abi);
  RUN_CASE(test_grpc_through_the_abi);
  RUN_CASE(test_finagle_through_the_abi);
  RUN_CASE(test_pool_through_the_abi);
  RUN_CASE(test_forged_and_repeated_tickets_change_nothing);
  return check_summary();
}
