/* The help text. docs/cli.md says the same at more length; keep the two in step. */
#include "cli.h"
#include "cli_policy_help.h"

static const char synopsis_retry[] =
    "usage: backoff retry [policy options] [retry options] [--] COMMAND [ARG...]\n";
static const char synopsis_schedule[] =
    "usage: backoff schedule [policy options] [--json] [--plot FILE]\n";
static const char synopsis_all[] =
    "usage: backoff retry [policy options] [retry options] [--] COMMAND [ARG...]\n"
    "       backoff schedule [policy options] [--json] [--plot FILE]\n"
    "       backoff jobs migrate|enqueue|work|list|failed|requeue|stats|purge ...  (see backoff jobs --help)\n"
    "       backoff --help | --version\n"
    "\n"
    "retry runs COMMAND until it succeeds or the policy gives up; schedule shows the waits a policy makes.\n";

static const char policy_syntax[] =
    "Durations are decimal with a unit: 250ms, 1.5s, 2m, 1h, 100us, 10ns; 0 alone needs none, and a\n"
    "positive value below 1ns is an error. Counts are decimal (010 is ten). No spaces around a value.\n";

static const char retry_options[] =
    "\n"
    "Retry options:\n"
    "  --timeout DURATION          end an attempt after DURATION: SIGTERM to its process group\n"
    "                              (0 = no timeout, the default; below 1ns is an error)\n"
    "  --kill-after DURATION       then SIGKILL if it is still running after DURATION (default 5s)\n"
    "  --retry-on CODES            retry only on these exit statuses, as 1,75,100-110\n"
    "                              (default: any non-zero status; a timed-out attempt counts as 124)\n"
    "  --permanent CODES           never retry on these exit statuses\n"
    "  --retry-if-output REGEX     retry when the attempt's stdout or stderr matches REGEX (POSIX ERE)\n"
    "  --quiet                     no progress messages on stderr\n"
    "  --log FORMAT                progress on stderr as text, or json: one JSON object a line (default text)\n"
    "  --stream                    pass every attempt's stdout on live, even into a pipe or a file\n"
    "\n"
    "Standard input (unless a terminal) is kept as attempts read it, and every attempt reads the same\n"
    "bytes. When stdout is not a terminal, only the stdout of the attempt that decides the result is passed\n"
    "on, after it ends; stderr is always live. Both are kept in memory up to 1 MiB, then in a temporary file.\n"
    "\n"
    "Exit status: 0 when an attempt succeeds; otherwise the last attempt's status: its exit status,\n"
    "128+N if signal N killed it, 124 if it timed out, 75 if it exited 0 but matched --retry-if-output;\n"
    "126 or 127 if COMMAND cannot be run; 2 for a bad option; 125 if backoff itself failed (a failed write\n"
    "of the output too) or COMMAND tried to use the terminal (it runs in its own process group: give it\n"
    "input from a file or a pipe).\n"
    "SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to the attempt, and backoff then dies of the same\n"
    "signal.\n";

static const char schedule_options[] =
    "\n"
    "Schedule options:\n"
    "  --json                      print JSON instead of a table\n"
    "  --plot FILE                 also write an SVG of each retry's wait distribution to FILE\n"
    "Without jitter the table shows each wait; with jitter its exact min and max, p50 and p95 from 10000\n"
    "samples of what `backoff retry` waits (seed 0 unless --seed), the totals so far, and the worst-case\n"
    "total wait. Samples are stateless draws, or for decorrelated walks of the chain (each wait drawn from\n"
    "the one before). The plot's wait axis is logarithmic when the waits span more than 100x.\n";

static const char hint_retry[] =
    "usage: backoff retry [OPTION...] [--] COMMAND [ARG...]  (see backoff retry --help)";
static const char hint_schedule[] = "usage: backoff schedule [OPTION...]  (see backoff schedule --help)";
static const char hint_jobs[] =
    "usage: backoff jobs migrate|enqueue|work|list|failed|requeue|stats|purge [OPTION...]  (see backoff jobs --help)";
static const char hint_all[] = "usage: backoff retry|schedule [OPTION...]  (see backoff --help)";

void cli_print_usage_hint(FILE *stream, cli_help help) {
  const char *hint = help == CLI_HELP_RETRY      ? hint_retry
                     : help == CLI_HELP_SCHEDULE ? hint_schedule
                     : help == CLI_HELP_JOBS     ? hint_jobs
                                                 : hint_all;
  fprintf(stream, "%s\n", hint);
}

void cli_print_usage(FILE *stream, cli_help help) {
  switch (help) {
    case CLI_HELP_RETRY:
      fputs(synopsis_retry, stream);
      cli_print_policy_options(stream, policy_syntax, true);
      fputs(retry_options, stream);
      break;
    case CLI_HELP_SCHEDULE:
      fputs(synopsis_schedule, stream);
      cli_print_policy_options(stream, policy_syntax, true);
      fputs(schedule_options, stream);
      break;
    case CLI_HELP_JOBS:
      cli_print_jobs_usage(stream);
      cli_print_policy_options(stream, policy_syntax, false);
      break;
    case CLI_HELP_ALL:
      fputs(synopsis_all, stream);
      cli_print_policy_options(stream, policy_syntax, true);
      fprintf(stream, "%s%s", retry_options, schedule_options);
      break;
  }
}
