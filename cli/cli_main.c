/* backoff: retry any command with a backoff policy, show a policy's schedule, run a durable job queue
 * (`backoff jobs`, docs/jobs.md). See docs/cli.md. */
#include <stdio.h>
#include <string.h>

#include "backoff.h"
#include "cli.h"
#include "cli_args.h"

int main(int argc, char **argv) {
  const char *command = argc > 1 ? argv[1] : "";
  if (strcmp(command, "retry") == 0) return cli_retry_main(argc - 1, argv + 1);
  if (strcmp(command, "schedule") == 0) return cli_schedule_main(argc - 1, argv + 1);
  if (strcmp(command, "jobs") == 0) {
#ifdef BACKOFF_CLI_JOBS
    return cli_jobs_main(argc - 1, argv + 1);
#else
    fputs("backoff: jobs: this backoff was built without libbackoff_jobs (it needs sqlite3 and libpq)\n", stderr);
    return CLI_EXIT_USAGE;
#endif
  }
  if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 || strcmp(command, "help") == 0) {
    cli_print_usage(stdout, CLI_HELP_ALL);
    return cli_finish_output(0);
  }
  if (strcmp(command, "--version") == 0) {
    /* The library's version is the one loaded at run time; it may differ from the header built against. */
    printf("backoff %s (libbackoff %s)\n", BACKOFF_VERSION_STRING, backoff_version_string());
    return cli_finish_output(0);
  }
  cli_print_usage_hint(stderr, CLI_HELP_ALL);
  if (argc > 1) {
    fprintf(stderr, "backoff: unknown command '%s'\n", command);
  } else {
    fputs("backoff: no command given\n", stderr);
  }
  return CLI_EXIT_USAGE;
}
