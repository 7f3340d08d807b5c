/* `backoff retry`: runs a command until it succeeds or the policy gives up.
 *
 * The decisions are the core's: each wait and each "stop" comes from a backoff_retrier on the monotonic
 * clock, created when the command starts, so max_elapsed and the deadline count the attempts' own running
 * time too. This file only decides
 * whether an attempt's outcome is worth retrying, from the options the user gave. */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backoff.h"
#include "cli.h"
#include "cli_args.h"
#include "cli_child.h"
#include "cli_format.h"
#include "cli_progress.h"
#include "cli_signals.h"
#include "cli_spool.h"

/* parse_retry_options() returns this, or an exit status to end with at once. */
enum { PARSED = -1 };

static const int64_t default_kill_after_ns = 5 * BACKOFF_SECOND;

typedef struct retry_options {
  cli_attempt_options attempt;
  cli_status_set retry_on;
  cli_status_set permanent;
  regex_t output_pattern;
  bool has_output_pattern;
  bool quiet;
  bool stream;             /* --stream: every attempt's stdout passes through live */
  bool json;               /* --log json: one JSON line per attempt on stderr */
} retry_options;

typedef enum verdict { SUCCEEDED, RETRY, PERMANENT, NOT_RETRYABLE } verdict;

static int reject_value(const cli_args *args, const cli_option *option) {
  return cli_usage_error(args, "%s: takes no value (got '%s')", option->name, option->inline_value);
}

static int compile_pattern(const cli_args *args, const char *text, retry_options *options) {
  const int error = regcomp(&options->output_pattern, text, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
  if (error != 0) {
    char message[256];
    regerror(error, &options->output_pattern, message, sizeof message);
    return cli_usage_error(args, "retry-if-output: %s (got '%s')", message, text);
  }
  options->has_output_pattern = true;
  options->attempt.output_match = &options->output_pattern;
  return PARSED;
}

/* Reads one option that is not a policy parameter. */
static int parse_retry_option(cli_args *args, const cli_option *option, retry_options *options) {
  const char *name = option->name;
  if (strcmp(name, "help") == 0) return cli_print_help(args);
  if (strcmp(name, "quiet") == 0 || strcmp(name, "stream") == 0) {
    if (option->inline_value) return reject_value(args, option);
    if (strcmp(name, "quiet") == 0) {
      options->quiet = true;
    } else {
      options->stream = true;
    }
    return PARSED;
  }
  const bool takes_value = strcmp(name, "timeout") == 0 || strcmp(name, "kill-after") == 0 ||
                           strcmp(name, "retry-on") == 0 || strcmp(name, "permanent") == 0 ||
                           strcmp(name, "retry-if-output") == 0 || strcmp(name, "log") == 0;
  if (!takes_value) return cli_usage_error(args, "unknown option '%s'", option->arg);
  if (strcmp(name, "retry-if-output") == 0 && options->has_output_pattern) {
    return cli_usage_error(args, "retry-if-output: given twice; use one pattern with |");
  }
  const char *value = cli_args_value(args, option);
  if (value == NULL) return CLI_EXIT_USAGE;
  int status;
  if (strcmp(name, "timeout") == 0) {
    status = cli_parse_duration(args, option, value, &options->attempt.timeout_ns);
  } else if (strcmp(name, "kill-after") == 0) {
    status = cli_parse_duration(args, option, value, &options->attempt.kill_after_ns);
  } else if (strcmp(name, "retry-on") == 0) {
    status = cli_parse_status_set(args, option, value, &options->retry_on);
  } else if (strcmp(name, "permanent") == 0) {
    status = cli_parse_status_set(args, option, value, &options->permanent);
  } else if (strcmp(name, "log") == 0) {
    if (strcmp(value, "json") != 0 && strcmp(value, "text") != 0) {
      return cli_usage_error(args, "log: expected text or json (got '%s')", value);
    }
    options->json = strcmp(value, "json") == 0;
    return PARSED;
  } else {
    return compile_pattern(args, value, options);
  }
  return status == 0 ? PARSED : status;
}

static int parse_retry_options(cli_args *args, backoff_config *config, retry_options *options) {
  cli_option option;
  while (cli_args_next_option(args, &option)) {
    const int applied = cli_apply_policy_option(args, config, &option);
    if (applied == 1) continue;
    const int status = applied != 0 ? applied : parse_retry_option(args, &option, options);
    if (status != PARSED) return status;
  }
  if (args->next >= args->argc) return cli_usage_error(args, "retry: no command given");
  options->attempt.command = args->argv + args->next;
  return PARSED;
}

static verdict judge(const retry_options *options, const cli_attempt_result *result) {
  const int status = result->status;
  if (options->permanent.member[status]) return PERMANENT;
  /* Without --retry-on, the exit status decides only when no --retry-if-output pattern does. */
  const bool by_status = options->retry_on.given ? options->retry_on.member[status]
                                                 : !options->has_output_pattern && status != 0;
  if (by_status || result->output_matched) return RETRY;
  return status == 0 ? SUCCEEDED : NOT_RETRYABLE;
}

/* The options of the next attempt: its --timeout, shortened to the time left before the deadline so that
 * the whole run ends by it. Sets *by_deadline when the deadline is what bounds the attempt. */
static cli_attempt_options bounded_by_deadline(const retry_options *options, const backoff_retrier *retrier,
                                               bool *by_deadline) {
  cli_attempt_options attempt = options->attempt;
  int64_t deadline_ns = INT64_MAX;
  backoff_retrier_deadline(&deadline_ns, retrier);
  *by_deadline = false;
  if (deadline_ns == INT64_MAX) return attempt;
  int64_t left_ns = deadline_ns - backoff_monotonic_now_ns();  /* the retrier's clock: no overflow */
  if (left_ns < 1) left_ns = 1;  /* 0 would mean no timeout; the retrier never starts one this late */
  if (attempt.timeout_ns == 0 || left_ns < attempt.timeout_ns) {
    attempt.timeout_ns = left_ns;
    *by_deadline = true;
  }
  return attempt;
}

/* What happened to the attempt, for the progress line: "failed with exit status 1". */
static void describe_outcome(const retry_options *options, const cli_attempt_result *result, bool by_deadline,
                             char *out, size_t size) {
  char timeout[CLI_DURATION_SIZE];
  switch (result->end) {
    case CLI_ATTEMPT_TIMED_OUT:
      if (by_deadline) {
        snprintf(out, size, "was stopped at the deadline");
        return;
      }
      cli_format_duration(timeout, sizeof timeout, options->attempt.timeout_ns);
      snprintf(out, size, "timed out after %s", timeout);
      return;
    case CLI_ATTEMPT_SIGNALED:
      snprintf(out, size, "was killed by signal %d (%s)", result->signal, strsignal(result->signal));
      return;
    default:
      if (result->status == 0) {
        snprintf(out, size, "exited 0 but its output matched --retry-if-output");
      } else {
        snprintf(out, size, "failed with exit status %d", result->status);
      }
  }
}

/* Why a failed attempt is not retried: "3 is a --permanent status". */
static void describe_refusal(const retry_options *options, verdict judged, int status, char *out, size_t size) {
  if (judged == PERMANENT) {
    snprintf(out, size, "%d is a --permanent status", status);
  } else if (!options->has_output_pattern) {
    snprintf(out, size, "%d is not a --retry-on status", status);
  } else if (!options->retry_on.given) {
    snprintf(out, size, "the output did not match --retry-if-output");
  } else {
    snprintf(out, size, "%d is not a --retry-on status and the output did not match --retry-if-output", status);
  }
}

/* Whether max_attempts ends the retrying by itself: not under --stop-when all with max_elapsed set, where
 * giving up needs both limits reached. */
static bool attempts_end_alone(const backoff_policy *policy) {
  int64_t max_elapsed_ns = 0, stop_when = BACKOFF_STOP_WHEN_ANY;
  backoff_policy_get_i64(&max_elapsed_ns, policy, BACKOFF_PARAM_MAX_ELAPSED_NS);
  backoff_policy_get_i64(&stop_when, policy, BACKOFF_PARAM_STOP_WHEN);
  return stop_when == BACKOFF_STOP_WHEN_ANY || max_elapsed_ns == 0;
}

static void report_give_up(const cli_progress *progress, const backoff_policy *policy,
                           const backoff_retrier *retrier, cli_attempt_record *record, const char *outcome) {
  const uint64_t attempt = record->attempt;
  int64_t max_attempts = 0, max_elapsed_ns = 0, deadline_ns = 0;
  int ended = BACKOFF_RETRY_GAVE_UP;
  backoff_policy_get_i64(&max_attempts, policy, BACKOFF_PARAM_MAX_ATTEMPTS);
  backoff_policy_get_i64(&max_elapsed_ns, policy, BACKOFF_PARAM_MAX_ELAPSED_NS);
  backoff_policy_get_i64(&deadline_ns, policy, BACKOFF_PARAM_DEADLINE_NS);
  const bool both_needed = !attempts_end_alone(policy);
  backoff_retrier_get_outcome(&ended, retrier);
  record->decision = "gave_up";
  if (ended == BACKOFF_RETRY_DEADLINE_EXCEEDED) {
    record->reason = "deadline";
    char deadline[CLI_DURATION_SIZE];
    cli_format_duration(deadline, sizeof deadline, deadline_ns);
    cli_progress_report(progress, attempt, "%s; giving up: the next wait would pass the deadline %s", outcome,
                        deadline);
  } else if (max_attempts > 0 && attempt >= (uint64_t)max_attempts && !both_needed) {
    record->reason = "max_attempts";
    cli_progress_report(progress, attempt, "%s; giving up: max_attempts %lld reached", outcome,
                        (long long)max_attempts);
  } else {
    record->reason = "max_elapsed";
    char max_elapsed[CLI_DURATION_SIZE];
    cli_format_duration(max_elapsed, sizeof max_elapsed, max_elapsed_ns);
    cli_progress_report(progress, attempt, "%s; giving up: %sthe next wait would pass max_elapsed %s", outcome,
                        max_attempts > 0 && both_needed ? "max_attempts reached and " : "", max_elapsed);
  }
  cli_progress_attempt(progress, record);
}

/* The attempt decides the result: passes on its held stdout, if it was held, and reports a failed write
 * of its output. Returns `status`, or CLI_EXIT_OWN_FAILURE in place of a 0 when the output was lost. */
static int pass_on(const retry_options *options, const cli_attempt_result *result, int status) {
  int error = result->write_error;
  const cli_spool *held = options->attempt.held_output;
  const int held_error = held != NULL ? cli_spool_write_to(held, STDOUT_FILENO) : 0;
  if (error == 0) error = held_error;
  if (error == 0) return status;
  fprintf(stderr, "backoff: cannot write the output of '%s': %s\n", options->attempt.command[0],
          strerror(error));
  return status != 0 ? status : CLI_EXIT_OWN_FAILURE;
}

/* A stop signal during an attempt (`record` is that attempt's) or during a wait (`record` is NULL). */
static _Noreturn void die_interrupted(const retry_options *options, const cli_progress *progress,
                                      cli_attempt_record *record, uint64_t attempt, int signal) {
  const bool running = record != NULL;
  if (running) {
    pass_on(options, record->result, 0);
    record->decision = "interrupted";
    cli_progress_attempt(progress, record);
  } else {
    cli_progress_interrupted(progress, attempt, signal);
  }
  cli_progress_report(progress, attempt, "interrupted by signal %d (%s)%s", signal, strsignal(signal),
                      running ? "; forwarded it to the command" : " while waiting");
  cli_signals_die_of(signal);
}

/* The loop: attempt, judge, ask the retrier for the wait, wait. Returns the exit status. */
static int run(const retry_options *options, const backoff_policy *policy, backoff_retrier *retrier) {
  int64_t max_attempts = 0;
  backoff_policy_get_i64(&max_attempts, policy, BACKOFF_PARAM_MAX_ATTEMPTS);
  cli_progress progress;
  /* "attempt 3/5" only where the 5 ends the retrying. */
  cli_progress_init(&progress, options->quiet, options->json, attempts_end_alone(policy) ? max_attempts : 0);
  for (uint64_t attempt = 1;; ++attempt) {
    cli_attempt_result result;
    bool by_deadline;
    const cli_attempt_options attempt_options = bounded_by_deadline(options, retrier, &by_deadline);
    const int64_t started_ns = backoff_monotonic_now_ns();
    if (cli_run_attempt(&attempt_options, &result) != 0) {
      fprintf(stderr, "backoff: cannot start an attempt: %s\n", strerror(errno));
      return CLI_EXIT_OWN_FAILURE;
    }
    cli_attempt_record record = {.attempt = attempt,
                                 .max_attempts = max_attempts,
                                 .result = &result,
                                 .duration_ns = backoff_monotonic_now_ns() - started_ns,
                                 .wait_ns = BACKOFF_STOP};
    if (result.end == CLI_ATTEMPT_INTERRUPTED) {
      die_interrupted(options, &progress, &record, attempt, result.signal);
    }
    if (result.end == CLI_ATTEMPT_NEEDS_TERMINAL) {
      fprintf(stderr,
              "backoff: '%s' was stopped for using the terminal, which an attempt cannot: it runs in its own "
              "process group; give it input from a file or a pipe\n",
              options->attempt.command[0]);
      return pass_on(options, &result, result.status);
    }
    if (options->attempt.input != NULL && options->attempt.input->error != 0) {
      fprintf(stderr, "backoff: cannot keep the standard input to replay it: %s\n",
              strerror(options->attempt.input->error));
      return CLI_EXIT_OWN_FAILURE;
    }
    if (result.end == CLI_ATTEMPT_NOT_RUN) {
      fprintf(stderr, "backoff: cannot run '%s': %s\n", options->attempt.command[0], strerror(result.error));
      return result.status;
    }
    char outcome[128];
    describe_outcome(options, &result, by_deadline, outcome, sizeof outcome);
    const verdict judged = judge(options, &result);
    if (judged == SUCCEEDED) {
      record.decision = "succeeded";
      cli_progress_attempt(&progress, &record);
      if (attempt > 1) cli_progress_report(&progress, attempt, "succeeded");
      return pass_on(options, &result, 0);
    }
    if (judged != RETRY) {
      char refusal[160];
      describe_refusal(options, judged, result.status, refusal, sizeof refusal);
      cli_progress_report(&progress, attempt, "%s; not retrying: %s", outcome, refusal);
      record.decision = "not_retried";
      record.reason = judged == PERMANENT ? "permanent_status" : "not_retryable";
      cli_progress_attempt(&progress, &record);
      return pass_on(options, &result, result.status);
    }
    int64_t delay_ns = BACKOFF_STOP;
    backoff_retrier_on_failure(&delay_ns, retrier, BACKOFF_ERROR_ORDINARY, 0);
    if (delay_ns == BACKOFF_STOP) {
      report_give_up(&progress, policy, retrier, &record, outcome);
      return pass_on(options, &result, result.status != 0 ? result.status : CLI_EXIT_OUTPUT_MATCHED);
    }
    /* A retried attempt's stdout is dropped (the next attempt clears the spool); its errors were live. */
    if (result.write_error != 0) return pass_on(options, &result, result.status);
    record.decision = "retry";
    record.wait_ns = delay_ns;
    cli_progress_attempt(&progress, &record);
    const int signal = cli_progress_wait(&progress, attempt, outcome, delay_ns);
    if (signal != 0) die_interrupted(options, &progress, NULL, attempt, signal);
  }
}

/* Keeps the input and sets up the holding of stdout, starts the retrier's clock (max_elapsed and the
 * deadline count from here), and runs the loop. */
static int start(retry_options *options, const backoff_policy *policy) {
  if (cli_signals_install() != 0) {
    fprintf(stderr, "backoff: cannot handle signals: %s\n", strerror(errno));
    return CLI_EXIT_OWN_FAILURE;
  }
  cli_replay input = {.source = STDIN_FILENO};
  cli_spool held_output;
  cli_spool_init(&input.kept);
  cli_spool_init(&held_output);
  /* stdin is replayed to every attempt, unless it is a terminal (an attempt cannot read one: see
   * cli_child.h) or closed. */
  if (!isatty(STDIN_FILENO) && fcntl(STDIN_FILENO, F_GETFD) != -1) options->attempt.input = &input;
  /* A pipeline or a file gets the output of the deciding attempt alone; a terminal sees every attempt. */
  if (!options->stream && !isatty(STDOUT_FILENO)) options->attempt.held_output = &held_output;
  backoff_retrier *retrier = NULL;
  int status;
  if (backoff_retrier_new(&retrier, policy) != BACKOFF_OK) {
    fprintf(stderr, "backoff: %s\n", backoff_last_error());
    status = CLI_EXIT_OWN_FAILURE;
  } else {
    status = run(options, policy, retrier);
  }
  backoff_retrier_free(retrier);
  cli_spool_free(&input.kept);
  cli_spool_free(&held_output);
  return status;
}

int cli_retry_main(int argc, char **argv) {
  cli_args args;
  backoff_config *config = NULL;
  int status = cli_start_policy_command(&args, argc, argv, CLI_HELP_RETRY, &config);
  if (status != 0) return status;
  retry_options options = {.attempt = {.kill_after_ns = default_kill_after_ns}};
  status = parse_retry_options(&args, config, &options);
  backoff_policy *policy = NULL;
  if (status == PARSED) status = cli_build_policy(&args, config, &policy);
  backoff_config_free(config);
  if (policy != NULL) status = start(&options, policy);
  backoff_policy_free(policy);
  if (options.has_output_pattern) regfree(&options.output_pattern);
  return status;
}
