/* `backoff jobs migrate | list | failed | requeue | stats | purge`: one library call each, printed. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_jobs.h"

int cli_jobs_parse_count(const cli_args *args, const char *name, const char *text, int64_t *out) {
  char *end = NULL;
  errno = 0;
  const long long value = text[0] >= '0' && text[0] <= '9' ? strtoll(text, &end, 10) : -1;
  if (value < 0 || errno != 0 || *end != '\0') {
    return cli_usage_error(args, "%s: expects a whole number >= 0 (got '%s')", name, text);
  }
  *out = value;
  return 0;
}

/* The start of a subcommand that takes options only: reads them and opens the store. Returns 0, or the
 * status to end with (through cli_jobs_finish()). */
static int begin(cli_args *args, int argc, char **argv, cli_jobs_common *common, cli_jobs_extra_option_fn extra,
                 void *state, bool migrate) {
  cli_args_init(args, argc, argv, CLI_HELP_JOBS);
  int none = 0;
  const int status = cli_jobs_read_arguments(args, common, extra, state, NULL, 0, &none);
  return status != 0 ? status : cli_jobs_open(common, migrate);
}

int cli_jobs_migrate_main(int argc, char **argv) {
  cli_args args;
  cli_jobs_common common = {0};
  int status = begin(&args, argc, argv, &common, NULL, NULL, true);
  if (status != 0) return cli_jobs_finish(&common, status);
  int version = 0;
  backoff_jobs_schema_version(&version, NULL, common.store);
  if (common.json) {
    printf("{\"schema_version\": %d}\n", version);
  } else {
    printf("%s: schema version %d\n", common.store_url, version);
  }
  return cli_jobs_finish(&common, 0);
}

typedef struct list_options {
  const char *state;
  int64_t limit, before_id;
} list_options;

static int list_option(cli_args *args, const cli_option *option, void *state) {
  list_options *list = state;
  const bool is_limit = strcmp(option->name, "limit") == 0, is_before = strcmp(option->name, "before-id") == 0;
  if (!is_limit && !is_before && strcmp(option->name, "state") != 0) return 0;
  const char *value = cli_args_value(args, option);
  if (value == NULL) return CLI_EXIT_USAGE;
  if (!is_limit && !is_before) {
    list->state = value;
    return 1;
  }
  const int status = cli_jobs_parse_count(args, option->arg, value, is_limit ? &list->limit : &list->before_id);
  return status == 0 ? 1 : status;
}

int cli_jobs_list_main(int argc, char **argv) {
  cli_args args;
  cli_jobs_common common = {0};
  list_options list = {strcmp(argv[0], "failed") == 0 ? "failed" : NULL, 50, 0};
  int status = begin(&args, argc, argv, &common, list_option, &list, false);
  if (status != 0) return cli_jobs_finish(&common, status);
  int state = -1;
  if (list.state && (status = backoff_jobs_value_of(&state, BACKOFF_JOBS_ENUM_STATE, list.state)) != BACKOFF_OK) {
    return cli_jobs_fail("--state", status);
  }
  backoff_jobs_rows *rows = NULL;
  status = backoff_jobs_list(&rows, common.store, common.queue_given ? common.queue : NULL, state, list.before_id,
                             (uint32_t)(list.limit > UINT32_MAX ? UINT32_MAX : list.limit));
  if (status != BACKOFF_OK) return cli_jobs_finish(&common, cli_jobs_fail(argv[0], status));
  cli_jobs_print_jobs(rows, common.json);
  backoff_jobs_rows_free(rows);
  return cli_jobs_finish(&common, 0);
}

static int requeue_option(cli_args *args, const cli_option *option, void *state) {
  (void)args;
  if (strcmp(option->name, "all-failed") != 0) return 0;
  *(bool *)state = true;
  return 1;
}

int cli_jobs_requeue_main(int argc, char **argv) {
  cli_args args;
  cli_jobs_common common = {0};
  bool all_failed = false;
  cli_args_init(&args, argc, argv, CLI_HELP_JOBS);
  enum { MAX_IDS = 256 };
  const char *positional[MAX_IDS];
  int id_count = 0;
  int status = cli_jobs_read_arguments(&args, &common, requeue_option, &all_failed, positional, MAX_IDS, &id_count);
  if (status != 0) return cli_jobs_finish(&common, status);
  if (all_failed == (id_count > 0)) {
    return cli_usage_error(&args, "requeue: give job ids or --all-failed (of --queue), not both");
  }
  int64_t ids[MAX_IDS];
  for (int i = 0; i < id_count; ++i) {
    if ((status = cli_jobs_parse_count(&args, "job id", positional[i], &ids[i])) != 0) return status;
  }
  if ((status = cli_jobs_open(&common, false)) != 0) return cli_jobs_finish(&common, status);
  uint64_t requeued = 0;
  if (all_failed) {
    if ((status = backoff_jobs_requeue_failed(&requeued, common.store, common.queue)) != BACKOFF_OK) {
      return cli_jobs_finish(&common, cli_jobs_fail("requeue", status));
    }
  }
  for (int i = 0; i < id_count; ++i) {
    if ((status = backoff_jobs_requeue(common.store, ids[i])) != BACKOFF_OK) {
      char what[48];
      snprintf(what, sizeof what, "requeue %" PRId64, ids[i]);
      return cli_jobs_finish(&common, cli_jobs_fail(what, status));
    }
    ++requeued;
  }
  if (common.json) {
    printf("{\"requeued\": %" PRIu64 "}\n", requeued);
  } else {
    printf("requeued %" PRIu64 " job%s\n", requeued, requeued == 1 ? "" : "s");
  }
  return cli_jobs_finish(&common, 0);
}

int cli_jobs_stats_main(int argc, char **argv) {
  cli_args args;
  cli_jobs_common common = {0};
  int status = begin(&args, argc, argv, &common, NULL, NULL, false);
  if (status != 0) return cli_jobs_finish(&common, status);
  backoff_jobs_rows *rows = NULL;
  if ((status = backoff_jobs_stats(&rows, common.store, common.queue_given ? common.queue : NULL)) != BACKOFF_OK) {
    return cli_jobs_finish(&common, cli_jobs_fail("stats", status));
  }
  cli_jobs_print_stats(rows, common.json);
  backoff_jobs_rows_free(rows);
  return cli_jobs_finish(&common, 0);
}

typedef struct purge_options {
  const char *state;
  const char *older_than;
} purge_options;

static int purge_option(cli_args *args, const cli_option *option, void *state) {
  purge_options *purge = state;
  const char **target = strcmp(option->name, "state") == 0        ? &purge->state
                        : strcmp(option->name, "older-than") == 0 ? &purge->older_than
                                                                  : NULL;
  if (target == NULL) return 0;
  return (*target = cli_args_value(args, option)) ? 1 : CLI_EXIT_USAGE;
}

int cli_jobs_purge_main(int argc, char **argv) {
  cli_args args;
  cli_jobs_common common = {0};
  purge_options purge = {"completed", "0"};
  int status = begin(&args, argc, argv, &common, purge_option, &purge, false);
  if (status != 0) return cli_jobs_finish(&common, status);
  int state = 0;
  int64_t older_than_ns = 0;
  if ((status = backoff_jobs_value_of(&state, BACKOFF_JOBS_ENUM_STATE, purge.state)) != BACKOFF_OK) {
    return cli_jobs_fail("--state", status);
  }
  const cli_option older_than = {"older-than", "--older-than", NULL};
  if ((status = cli_parse_duration(&args, &older_than, purge.older_than, &older_than_ns)) != 0) return status;
  uint64_t purged = 0;
  status = backoff_jobs_purge(&purged, common.store, common.queue_given ? common.queue : NULL, state, older_than_ns);
  if (status != BACKOFF_OK) return cli_jobs_finish(&common, cli_jobs_fail("purge", status));
  if (common.json) {
    printf("{\"purged\": %" PRIu64 "}\n", purged);
  } else {
    printf("purged %" PRIu64 " %s job%s\n", purged, purge.state, purged == 1 ? "" : "s");
  }
  return cli_jobs_finish(&common, 0);
}
