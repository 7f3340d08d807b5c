/* `backoff jobs work [options] -- COMMAND [ARG...]`: libbackoff_jobs's worker loop, running COMMAND once
 * per job with the payload on its standard input. Exit 0 completes the job; an exit status in --permanent
 * (default 100) fails it at once; any other ending is a retryable failure, retried when the job's policy
 * says (the library asks the engine). While COMMAND runs its lease is extended (a heartbeat every third
 * of --lease), so a long job keeps its lease and a dead worker's job comes back within one lease. With
 * --breaker, a job type whose command keeps failing trips its breaker and its jobs are snoozed, unrun.
 *
 * SIGTERM, SIGINT or SIGHUP: the running job finishes, then backoff exits 0. A second one sends SIGTERM
 * to the job's process group. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_jobs.h"
#include "cli_jobs_run.h"

typedef struct work_options {
  int64_t batch, max_jobs;
  int64_t lease_ns, idle_exit_ns;
  cli_jobs_run_options run;
  bool quiet;
  backoff_breaker_config *breaker; /* created at the first --breaker: a breaker per job type */
} work_options;

static backoff_jobs_store *volatile signalled_store;
static volatile sig_atomic_t stop_requests;

static void on_stop_signal(int number) {
  (void)number;
  if (stop_requests++ == 0) {
    backoff_jobs_interrupt(signalled_store);
  } else {
    cli_jobs_run_terminate();
  }
}

static int install_stop_signals(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_stop_signal;  /* no SA_RESTART: a wait for the job's output wakes at once */
  sigemptyset(&action.sa_mask);
  const int stops[] = {SIGTERM, SIGINT, SIGHUP};
  for (size_t i = 0; i < sizeof stops / sizeof stops[0]; ++i) {
    if (sigaction(stops[i], &action, NULL) != 0) return -1;
  }
  return signal(SIGPIPE, SIG_IGN) == SIG_ERR ? -1 : 0;
}

/* --breaker NAME=VALUE: a parameter of the per-type breakers, read by backoff_breaker_config_set_text(). */
static int breaker_option(cli_args *args, const cli_option *option, work_options *work) {
  const char *value = cli_args_value(args, option);
  if (value == NULL) return CLI_EXIT_USAGE;
  const char *equals = strchr(value, '=');
  char name[64];
  if (equals == NULL || equals == value || (size_t)(equals - value) >= sizeof name) {
    return cli_usage_error(args, "%s: expects NAME=VALUE with a breaker parameter, as failure_threshold=3 (got '%s')",
                           option->arg, value);
  }
  memcpy(name, value, (size_t)(equals - value));
  name[equals - value] = '\0';
  if (work->breaker == NULL && backoff_breaker_config_new(&work->breaker) != BACKOFF_OK) return CLI_EXIT_OWN_FAILURE;
  const int status = backoff_breaker_config_set_text(work->breaker, name, equals + 1);
  return status == BACKOFF_OK ? 1 : cli_jobs_fail(option->arg, status);
}

static int work_option(cli_args *args, const cli_option *option, void *state) {
  work_options *work = state;
  const char *name = option->name;
  if (strcmp(name, "quiet") == 0) {
    work->quiet = true;
    return 1;
  }
  if (strcmp(name, "breaker") == 0) return breaker_option(args, option, work);
  int64_t *count = strcmp(name, "batch") == 0 ? &work->batch : strcmp(name, "max-jobs") == 0 ? &work->max_jobs : NULL;
  int64_t *duration = strcmp(name, "lease") == 0       ? &work->lease_ns
                      : strcmp(name, "idle-exit") == 0 ? &work->idle_exit_ns
                      : strcmp(name, "timeout") == 0   ? &work->run.timeout_ns
                                                       : NULL;
  const bool permanent = strcmp(name, "permanent") == 0;
  if (count == NULL && duration == NULL && !permanent) return 0;
  const char *value = cli_args_value(args, option);
  if (value == NULL) return CLI_EXIT_USAGE;
  int status = 0;
  if (count) {
    status = cli_jobs_parse_count(args, option->arg, value, count);
  } else if (duration) {
    status = cli_parse_duration(args, option, value, duration);
  } else {
    memset(&work->run.permanent, 0, sizeof work->run.permanent);
    status = cli_parse_status_set(args, option, value, &work->run.permanent);
  }
  return status == 0 ? 1 : status;
}

/* One job: run the command, say what happened (stderr for people, a JSON line on stdout for machines). */
static int run_job(int64_t *out_hint_ns, char *error, uint64_t error_size, const backoff_jobs_rows *jobs,
                   uint64_t index, void *user_data) {
  (void)out_hint_ns;
  cli_jobs_run_context *context = user_data;
  cli_jobs_job job;
  cli_jobs_job_read(&job, jobs, index);
  struct timespec began, ended;
  clock_gettime(CLOCK_MONOTONIC, &began);
  const int result = cli_jobs_run(context, &job, error, error_size);
  clock_gettime(CLOCK_MONOTONIC, &ended);
  const double seconds = (double)(ended.tv_sec - began.tv_sec) + (double)(ended.tv_nsec - began.tv_nsec) / 1e9;
  const char *outcome = backoff_name_of(BACKOFF_ENUM_ATTEMPT, result);
  if (context->json) {
    printf("{\"id\": %" PRId64 ", \"type\": ", job.id);
    cli_jobs_json_string(stdout, job.type, strlen(job.type));
    printf(", \"attempt\": %" PRId64 ", \"outcome\": \"%s\", \"seconds\": %.6f, \"error\": ", job.attempt, outcome,
           seconds);
    cli_jobs_json_string(stdout, error, strlen(error));
    puts("}");
    fflush(stdout);
  }
  if (!context->quiet) {
    char attempts[48];
    snprintf(attempts, sizeof attempts, job.max_attempts ? "%" PRId64 "/%" PRId64 : "%" PRId64, job.attempt,
             job.max_attempts);
    const char *newline = strchr(error, '\n');
    fprintf(stderr, "backoff: job %" PRId64 " (%s, attempt %s): %s in %.3fs%s%.*s\n", job.id, job.type, attempts,
            outcome, seconds, *error ? ": " : "", newline ? (int)(newline - error) : (int)strlen(error), error);
  }
  return result;
}

static int work(cli_args *args, cli_jobs_common *common, work_options *work, int argc, char **argv) {
  if (args->next >= argc) return cli_usage_error(args, "work: give the COMMAND to run per job, after --");
  cli_jobs_run_context context = {.command = argv + args->next, .options = work->run, .json = common->json,
                                  .quiet = work->quiet, .lease_ns = work->lease_ns};
  int status = cli_jobs_open(common, true);
  if (status != 0) return status;
  context.store = common->store;
  if (work->breaker != NULL && (status = backoff_jobs_set_breaker(common->store, work->breaker)) != BACKOFF_OK) {
    return cli_jobs_fail("--breaker", status);
  }
  signalled_store = common->store;
  if (install_stop_signals() != 0) {
    fprintf(stderr, "backoff: cannot install the signal handlers: %s\n", strerror(errno));
    return CLI_EXIT_OWN_FAILURE;
  }
  uint64_t handled = 0;
  status = backoff_jobs_work(&handled, common->store, common->queue,
                             (uint32_t)(work->batch > UINT32_MAX ? UINT32_MAX : work->batch), work->lease_ns,
                             (uint64_t)work->max_jobs, work->idle_exit_ns, run_job, &context);
  signalled_store = NULL;
  if (status != BACKOFF_OK && status != BACKOFF_ECANCELED) return cli_jobs_fail("work", status);
  uint64_t snoozed = 0;
  backoff_jobs_snoozed(&snoozed, common->store);
  if (!work->quiet) {
    fprintf(stderr, "backoff: handled %" PRIu64 " job%s", handled, handled == 1 ? "" : "s");
    if (snoozed > 0) fprintf(stderr, ", snoozed %" PRIu64 " (their type's breaker was open)", snoozed);
    fputc('\n', stderr);
  }
  if (common->json) printf("{\"handled\": %" PRIu64 ", \"snoozed\": %" PRIu64 "}\n", handled, snoozed);
  /* A command that cannot be run stopped the loop: its status says so, as the shell's would. */
  return context.cannot_run_status;
}

int cli_jobs_work_main(int argc, char **argv) {
  cli_args args;
  cli_jobs_common common = {0};
  work_options options = {.batch = 1, .lease_ns = 30 * BACKOFF_SECOND};
  cli_args_init(&args, argc, argv, CLI_HELP_JOBS);
  cli_status_set permanent = {0};
  const cli_option permanent_option = {"permanent", "--permanent", NULL};
  cli_parse_status_set(&args, &permanent_option, CLI_JOBS_DEFAULT_PERMANENT, &permanent);
  options.run.permanent = permanent;
  int status = cli_jobs_read_options(&args, &common, work_option, &options);
  status = status != 0 ? status : work(&args, &common, &options, argc, argv);
  backoff_breaker_config_free(options.breaker);
  return cli_jobs_finish(&common, status);
}
