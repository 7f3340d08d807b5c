/* cli.h - the `backoff` command: its subcommands, their help, and the exit statuses of the tool. */
#ifndef BACKOFF_CLI_H
#define BACKOFF_CLI_H

#include <stdio.h>

/* Exit statuses of the tool itself; every other status is the command's own. docs/cli.md lists them. */
enum cli_exit {
  CLI_EXIT_USAGE = 2,             /* a bad option or value: a usage line and the message are on stderr */
  CLI_EXIT_OUTPUT_MATCHED = 75,   /* gave up after an attempt that exited 0 but matched --retry-if-output */
  CLI_EXIT_TIMED_OUT = 124,       /* the last attempt outlived --timeout (as timeout(1)) */
  CLI_EXIT_OWN_FAILURE = 125,     /* backoff failed (fork, a failed write); or the command used the tty */
  CLI_EXIT_CANNOT_EXECUTE = 126,  /* the command exists but cannot be executed (as the shell) */
  CLI_EXIT_NOT_FOUND = 127,       /* the command was not found (as the shell) */
  CLI_EXIT_SIGNAL_BASE = 128      /* + N: the last attempt was killed by signal N (as the shell) */
};

/* Runs `backoff retry ...` and `backoff schedule ...`; argv[0] is the subcommand's name. They return the
 * exit status. */
int cli_retry_main(int argc, char **argv);
int cli_schedule_main(int argc, char **argv);
/* `backoff jobs ...` (cli_jobs_main.c): built when libbackoff_jobs is (BACKOFF_CLI_JOBS). */
int cli_jobs_main(int argc, char **argv);

/* Which help text to print. */
typedef enum cli_help { CLI_HELP_ALL, CLI_HELP_RETRY, CLI_HELP_SCHEDULE, CLI_HELP_JOBS } cli_help;

void cli_print_usage(FILE *stream, cli_help help);

/* The synopsis and options of `backoff jobs` (cli_jobs_usage.c; docs/jobs.md says the same at length). */
void cli_print_jobs_usage(FILE *stream);

/* One line: the synopsis and where the help is. Printed above an error, which then stays in sight. */
void cli_print_usage_hint(FILE *stream, cli_help help);

#endif
