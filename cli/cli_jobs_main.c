/* `backoff jobs SUBCOMMAND`: the dispatch, the options every subcommand shares, opening the store. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_jobs.h"

static const struct {
  const char *name;
  int (*main)(int argc, char **argv);
} subcommands[] = {
    {"migrate", cli_jobs_migrate_main}, {"enqueue", cli_jobs_enqueue_main}, {"work", cli_jobs_work_main},
    {"list", cli_jobs_list_main},       {"failed", cli_jobs_list_main},     {"requeue", cli_jobs_requeue_main},
    {"stats", cli_jobs_stats_main},     {"purge", cli_jobs_purge_main},
};

int cli_jobs_main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "";
  for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; ++i) {
    if (strcmp(name, subcommands[i].name) == 0) return subcommands[i].main(argc - 1, argv + 1);
  }
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    cli_print_usage(stdout, CLI_HELP_JOBS);
    return cli_finish_output(0);
  }
  cli_print_usage_hint(stderr, CLI_HELP_JOBS);
  if (argc > 1) {
    fprintf(stderr, "backoff: jobs: unknown subcommand '%s'\n", name);
  } else {
    fputs("backoff: jobs: no subcommand given\n", stderr);
  }
  return CLI_EXIT_USAGE;
}

int cli_jobs_common_option(cli_args *args, cli_jobs_common *common, const cli_option *option) {
  if (strcmp(option->name, "json") == 0) {
    common->json = true;
    return 1;
  }
  const char **target = strcmp(option->name, "store") == 0   ? &common->store_url
                        : strcmp(option->name, "queue") == 0 ? &common->queue
                                                             : NULL;
  if (target == NULL) return 0;
  if ((*target = cli_args_value(args, option)) == NULL) return CLI_EXIT_USAGE;
  if (target == &common->queue) common->queue_given = true;
  return 1;
}

int cli_jobs_fail(const char *what, int status) {
  fprintf(stderr, "backoff: %s: %s\n", what, backoff_last_error());
  /* Bad input is the caller's to fix, as a bad option is; the rest is the store's state. */
  const bool bad_input = status == BACKOFF_EINVAL || status == BACKOFF_EUNKNOWN || status == BACKOFF_ETYPE;
  return bad_input ? CLI_EXIT_USAGE : CLI_EXIT_JOBS_STORE;
}

int cli_jobs_open(cli_jobs_common *common, bool migrate) {
  if (common->store_url == NULL) {
    const char *from_environment = getenv("BACKOFF_JOBS_STORE");
    common->store_url = from_environment && *from_environment ? from_environment : CLI_JOBS_DEFAULT_STORE;
  }
  if (common->queue == NULL) common->queue = CLI_JOBS_DEFAULT_QUEUE;
  int status = backoff_jobs_open(&common->store, common->store_url);
  if (status != BACKOFF_OK) return cli_jobs_fail("--store", status);
  if (migrate && (status = backoff_jobs_migrate(NULL, common->store)) != BACKOFF_OK) {
    return cli_jobs_fail("migrate", status);
  }
  return 0;
}

int cli_jobs_read_options(cli_args *args, cli_jobs_common *common, cli_jobs_extra_option_fn extra, void *state) {
  cli_option option;
  while (cli_args_next_option(args, &option)) {
    if (strcmp(option.name, "help") == 0) {
      cli_print_help(args);
      return CLI_JOBS_HELP_SHOWN;
    }
    int taken = extra ? extra(args, &option, state) : 0;
    if (taken == 0) taken = cli_jobs_common_option(args, common, &option);
    if (taken == 0) return cli_usage_error(args, "unknown option '%s'", option.arg);
    if (taken != 1) return taken;
  }
  return 0;
}

int cli_jobs_read_arguments(cli_args *args, cli_jobs_common *common, cli_jobs_extra_option_fn extra, void *state,
                            const char **positional, int max_positional, int *out_count) {
  *out_count = 0;
  for (;;) {
    const int status = cli_jobs_read_options(args, common, extra, state);
    if (status != 0) return status;
    if (args->next >= args->argc) return 0;
    if (*out_count == max_positional) {
      return cli_usage_error(args, "%s: unexpected argument '%s'", args->argv[0], args->argv[args->next]);
    }
    positional[(*out_count)++] = args->argv[args->next++];
  }
}

int cli_jobs_finish(cli_jobs_common *common, int status) {
  backoff_jobs_close(common->store);
  return cli_finish_output(status == CLI_JOBS_HELP_SHOWN ? 0 : status);
}
