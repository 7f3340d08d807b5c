/* cli_jobs.h - `backoff jobs`: the job queue of libbackoff_jobs from the shell (docs/jobs.md, "CLI").
 *
 * Every subcommand opens the store named by --store (or $BACKOFF_JOBS_STORE, else ./jobs.db, an SQLite
 * file), makes one or a few library calls, and prints what they return: a table or a line for people,
 * or JSON with --json. Names (states, fields) are asked of the library, never typed here. */
#ifndef BACKOFF_CLI_JOBS_H
#define BACKOFF_CLI_JOBS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "backoff_jobs.h"
#include "cli_args.h"

/* The store used when neither --store nor $BACKOFF_JOBS_STORE names one: an SQLite file in the working
 * directory, the embedded default. */
#define CLI_JOBS_DEFAULT_STORE "jobs.db"
#define CLI_JOBS_DEFAULT_QUEUE "default"

/* `work -- COMMAND`: the exit status of COMMAND that fails its job at once, with no retry (unless
 * --permanent names others). Any other non-zero status is a retryable failure. */
#define CLI_JOBS_DEFAULT_PERMANENT "100"

/* The options every subcommand takes, and the store they name. */
typedef struct cli_jobs_common {
  const char *store_url;
  const char *queue;
  bool queue_given;
  bool json;
  backoff_jobs_store *store;
} cli_jobs_common;

/* Reads --store, --queue and --json if `option` is one of them: returns 1 when it was, 0 when not,
 * CLI_EXIT_USAGE when its value is missing. */
int cli_jobs_common_option(cli_args *args, cli_jobs_common *common, const cli_option *option);

/* Reads the options of a subcommand: `extra` (may be NULL) gets the first look at each, returning 1
 * when it took the option, 0 when not, or an exit status; then the common options. Returns 0 at the end
 * of the options, CLI_JOBS_HELP_SHOWN after --help, or an exit status (a usage error was printed). */
typedef int (*cli_jobs_extra_option_fn)(cli_args *args, const cli_option *option, void *state);
enum { CLI_JOBS_HELP_SHOWN = -1 };
int cli_jobs_read_options(cli_args *args, cli_jobs_common *common, cli_jobs_extra_option_fn extra, void *state);

/* As cli_jobs_read_options(), with options and up to `max_positional` arguments in any order (options
 * after `--` are arguments): the arguments go to positional[0...], their number to *out_count. */
int cli_jobs_read_arguments(cli_args *args, cli_jobs_common *common, cli_jobs_extra_option_fn extra, void *state,
                            const char **positional, int max_positional, int *out_count);

/* The end of a subcommand: closes the store (if open) and flushes stdout; returns `status` (0 for
 * CLI_JOBS_HELP_SHOWN), or CLI_EXIT_OWN_FAILURE if the output could not be written. */
int cli_jobs_finish(cli_jobs_common *common, int status);

/* A whole number >= 0 (a job id, a count); prints a usage error naming `name` and returns CLI_EXIT_USAGE
 * when `text` is not one. */
int cli_jobs_parse_count(const cli_args *args, const char *name, const char *text, int64_t *out);

/* Opens common->store (and migrates it when `migrate`). Prints the library's message and returns
 * CLI_EXIT_JOBS_STORE on failure, else 0. */
int cli_jobs_open(cli_jobs_common *common, bool migrate);

/* Prints "backoff: WHAT: <the library's message>" on stderr and returns the exit status for `status`:
 * CLI_EXIT_USAGE for bad input (the store is unchanged), CLI_EXIT_JOBS_STORE otherwise. */
int cli_jobs_fail(const char *what, int status);

/* The exit status of `backoff jobs` when the store fails (unreachable, not migrated, a job not found). */
enum { CLI_EXIT_JOBS_STORE = 3 };

/* The subcommands; argv[0] is the subcommand's name. Each returns the exit status. */
int cli_jobs_migrate_main(int argc, char **argv);
int cli_jobs_enqueue_main(int argc, char **argv);
int cli_jobs_work_main(int argc, char **argv);
int cli_jobs_list_main(int argc, char **argv);   /* list and failed (argv[0] says which) */
int cli_jobs_requeue_main(int argc, char **argv);
int cli_jobs_stats_main(int argc, char **argv);
int cli_jobs_purge_main(int argc, char **argv);

/* Writes `ns` (a UNIX time in ns) as ISO 8601 UTC with milliseconds, or "-" for 0 (none). */
enum { CLI_JOBS_TIME_SIZE = 32 };
void cli_jobs_format_time(char *out, size_t size, int64_t unix_ns);

/* Writes `size` bytes as a JSON string, quotes included, escaping what JSON requires; bytes that are not
 * UTF-8 are written as U+FFFD. */
void cli_jobs_json_string(FILE *out, const char *bytes, uint64_t size);

/* Prints a row set: a table (the columns people need) or, with json, an array of objects holding every
 * field the rows carry, named as the library names them. Returns 0, or a status from cli_jobs_fail(). */
int cli_jobs_print_jobs(const backoff_jobs_rows *rows, bool json);
int cli_jobs_print_stats(const backoff_jobs_rows *rows, bool json);

/* The state name of a backoff_jobs_state, as the library gives it. */
const char *cli_jobs_state_name(int64_t state);

#endif
