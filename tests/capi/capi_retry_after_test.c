/* Server hints: backoff_retry_after_parse() reads both Retry-After forms against an explicit wall time,
 * reports anything else as BACKOFF_EINVAL with a safe message, and its result feeds backoff_state_next(). */
#include "capi_check.h"
#include "capi_fixtures.h"

#define SECOND BACKOFF_SECOND
/* Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date, in seconds since 1970 (date -u -d @784111777). */
#define EXAMPLE_INSTANT INT64_C(784111777)

static int64_t parse_ok(const char *value, int64_t now_unix_ns) {
  int64_t wait = -12345;
  CHECK_STATUS(backoff_retry_after_parse(&wait, value, now_unix_ns), BACKOFF_OK);
  return wait;
}

static void parse_rejects_null(void) {
  int64_t wait = -12345;
  CHECK_ERROR(backoff_retry_after_parse(NULL, "5", 0), BACKOFF_ENULL, "out_ns");
  CHECK_ERROR(backoff_retry_after_parse(&wait, NULL, 0), BACKOFF_ENULL, "value");
  CHECK_I64(wait, -12345);
}

static void delta_seconds_ignore_the_wall_time(void) {
  CHECK_I64(parse_ok("120", 0), 120 * SECOND);
  CHECK_I64(parse_ok("120", INT64_MIN), 120 * SECOND);
  CHECK_I64(parse_ok(" 0 ", INT64_MAX), 0);
}

static void huge_delta_seconds_saturate(void) {
  CHECK_I64(parse_ok("99999999999999999999999999999999", 0), INT64_MAX);
}

static void every_http_date_form_is_measured_from_now(void) {
  const int64_t now = EXAMPLE_INSTANT * SECOND - 1500 * BACKOFF_MILLISECOND;
  CHECK_I64(parse_ok("Sun, 06 Nov 1994 08:49:37 GMT", now), 1500 * BACKOFF_MILLISECOND);
  CHECK_I64(parse_ok("Sunday, 06-Nov-94 08:49:37 GMT", now), 1500 * BACKOFF_MILLISECOND);
  CHECK_I64(parse_ok("Sun Nov  6 08:49:37 1994", now), 1500 * BACKOFF_MILLISECOND);
}

static void a_past_date_asks_for_no_wait(void) {
  CHECK_I64(parse_ok("Sun, 06 Nov 1994 08:49:37 GMT", (EXAMPLE_INSTANT + 60) * SECOND), 0);
}

static void invalid_values_fail_with_a_message_quoting_them(void) {
  const char *const invalid[] = {"", "-5", "1.5", "5s", "soon", "Sun, 06 Nov 1994 08:49:37 UTC",
                                 "Wed, 29 Feb 1995 00:00:00 GMT"};
  size_t i;
  for (i = 0; i < sizeof invalid / sizeof invalid[0]; ++i) {
    int64_t wait = -12345;
    CHECK_STATUS(backoff_retry_after_parse(&wait, invalid[i], 0), BACKOFF_EINVAL);
    CHECK_I64(wait, -12345); /* written only on success */
    CHECK_MESSAGE_NAMES("value");
    if (invalid[i][0] != '\0') CHECK(strstr(backoff_last_error(), invalid[i]) != NULL);
  }
}

static void a_hostile_value_cannot_flood_or_escape_the_message(void) {
  char value[4096];
  int64_t wait;
  memset(value, 'x', sizeof value - 1);
  value[sizeof value - 1] = '\0';
  memcpy(value, "\x1b[2J", 4); /* a terminal escape: "clear the screen" */
  CHECK_STATUS(backoff_retry_after_parse(&wait, value, 0), BACKOFF_EINVAL);
  CHECK(strchr(backoff_last_error(), '\x1b') == NULL);
  CHECK(strstr(backoff_last_error(), "\\x1b[2J") != NULL);
  CHECK(strlen(backoff_last_error()) < 200);
}

/* The parsed wait as hint_ns: at least the server's wait, never above the policy's cap. */
static void a_parsed_hint_floors_the_next_delay_within_the_cap(void) {
  backoff_policy *policy = policy_from_text("jitter=none,initial=100ms,cap=10s");
  backoff_state *state = NULL;
  int64_t delay = 0;
  CHECK_STATUS(backoff_state_new(&state, policy), BACKOFF_OK);
  CHECK_STATUS(backoff_state_next_at(&delay, state, 0, parse_ok("3", 0)), BACKOFF_OK);
  CHECK_I64(delay, 3 * SECOND);
  CHECK_STATUS(backoff_state_next_at(&delay, state, 0, parse_ok("3600", 0)), BACKOFF_OK);
  CHECK_I64(delay, 10 * SECOND);
  CHECK_STATUS(backoff_state_next_at(&delay, state, 0, parse_ok("0", 0)), BACKOFF_OK);
  CHECK_I64(delay, 400 * BACKOFF_MILLISECOND); /* no hint: the schedule's own third delay */
  backoff_state_free(state);
  backoff_policy_free(policy);
}

int main(void) {
  RUN_CASE(parse_rejects_null);
  RUN_CASE(delta_seconds_ignore_the_wall_time);
  RUN_CASE(huge_delta_seconds_saturate);
  RUN_CASE(every_http_date_form_is_measured_from_now);
  RUN_CASE(a_past_date_asks_for_no_wait);
  RUN_CASE(invalid_values_fail_with_a_message_quoting_them);
  RUN_CASE(a_hostile_value_cannot_flood_or_escape_the_message);
  RUN_CASE(a_parsed_hint_floors_the_next_delay_within_the_cap);
  return check_summary();
}
