/* cli_jobs_run.h - running one job's command: payload on stdin, the job in the environment, its stderr
 * passed through and its tail kept as the attempt's error, its lease extended while it runs. */
#ifndef BACKOFF_CLI_JOBS_RUN_H
#define BACKOFF_CLI_JOBS_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "backoff_jobs.h"
#include "cli_args.h"

/* The fields of a claimed job the command sees. The strings point into the row set. */
typedef struct cli_jobs_job {
  int64_t id, lease_token, attempt, max_attempts;
  const char *type, *queue;
  const void *payload;
  uint64_t payload_size;
} cli_jobs_job;

void cli_jobs_job_read(cli_jobs_job *out, const backoff_jobs_rows *jobs, uint64_t index);

typedef struct cli_jobs_run_options {
  int64_t timeout_ns;        /* 0: none. Past it: SIGTERM to the job's process group, SIGKILL 5 s later */
  cli_status_set permanent;  /* exit statuses that fail the job at once */
} cli_jobs_run_options;

typedef struct cli_jobs_run_context {
  char **command;             /* NULL-terminated; command[0] is looked up in PATH */
  cli_jobs_run_options options;
  bool json, quiet;
  int64_t lease_ns;           /* the lease each heartbeat renews */
  backoff_jobs_store *store;  /* for the heartbeats */
  int cannot_run_status;      /* 126 or 127 once COMMAND could not be run (the loop is then interrupted) */
} cli_jobs_run_context;

/* Runs the command for `job` and returns a backoff_attempt: SUCCESS, PERMANENT or RETRYABLE. `error`
 * receives what went wrong ("exit status 3", "killed by signal 9", "timed out after 30s"), then a
 * newline and the tail of the command's stderr. The environment gains BACKOFF_JOB_ID, BACKOFF_JOB_TYPE,
 * BACKOFF_JOB_QUEUE, BACKOFF_JOB_ATTEMPT and BACKOFF_JOB_MAX_ATTEMPTS. */
int cli_jobs_run(cli_jobs_run_context *context, const cli_jobs_job *job, char *error, uint64_t error_size);

/* Sends SIGTERM to the running command's process group, if one runs. Async-signal-safe. */
void cli_jobs_run_terminate(void);

#endif
