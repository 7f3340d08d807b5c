/* `backoff jobs enqueue TYPE [PAYLOAD]`: one job, its options, and optionally a retry policy of its own
 * (any policy option, read as `backoff retry` reads it). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli_jobs.h"

typedef struct enqueue_options {
  backoff_jobs_options *options;
  backoff_config *policy;    /* created at the first policy option */
  const char *payload_file;  /* "-" for stdin */
  int status;                /* the first option the library refused, for its exit status */
} enqueue_options;

/* --priority, --delay, --max-attempts and --unique-key go to the library's enqueue options, which check
 * them; --max-attempts is the job's own (it overrides any policy's). */
static int enqueue_option(cli_args *args, const cli_option *option, void *state) {
  enqueue_options *enqueue = state;
  const bool is_file = strcmp(option->name, "payload-file") == 0;
  int which = -1;
  if (!is_file) {
    char name[sizeof option->name];
    strcpy(name, option->name);
    for (char *c = name; *c; ++c) *c = *c == '-' ? '_' : *c;
    if (backoff_jobs_value_of(&which, BACKOFF_JOBS_ENUM_OPTION, name) != BACKOFF_OK || which == BACKOFF_JOBS_OPT_RUN_AT_NS) {
      int param = 0;
      if (backoff_param_from_name(&param, name) != BACKOFF_OK) return 0;  /* a common option, or unknown */
      /* The job's own policy: libbackoff's defaults and the options given. */
      if (enqueue->policy == NULL && backoff_config_new(&enqueue->policy) != BACKOFF_OK) return CLI_EXIT_OWN_FAILURE;
      return cli_apply_policy_option(args, enqueue->policy, option);
    }
  }
  const char *value = cli_args_value(args, option);
  if (value == NULL) return CLI_EXIT_USAGE;
  if (is_file) {
    enqueue->payload_file = value;
    return 1;
  }
  int status = BACKOFF_OK;
  if (which == BACKOFF_JOBS_OPT_UNIQUE_KEY) {
    status = backoff_jobs_options_set_text(enqueue->options, which, value);
  } else if (which == BACKOFF_JOBS_OPT_DELAY_NS) {
    int64_t ns = 0;
    if (cli_parse_duration(args, option, value, &ns) != 0) return CLI_EXIT_USAGE;
    status = backoff_jobs_options_set_i64(enqueue->options, which, ns);
  } else {
    char *end = NULL;
    errno = 0;
    const long long number = strtoll(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0') {
      return cli_usage_error(args, "%s: expects a whole number (got '%s')", option->arg, value);
    }
    status = backoff_jobs_options_set_i64(enqueue->options, which, number);
  }
  return status == BACKOFF_OK ? 1 : cli_jobs_fail(option->arg, status);
}

/* Reads all of `stream` into *out (malloc'd); the library checks the size limit. */
static int read_all(FILE *stream, char **out, size_t *out_size) {
  size_t size = 0, capacity = 4096;
  char *buffer = malloc(capacity);
  while (buffer != NULL) {
    size += fread(buffer + size, 1, capacity - size, stream);
    if (size < capacity) break;
    char *grown = realloc(buffer, capacity *= 2);
    if (grown == NULL) free(buffer);
    buffer = grown;
  }
  if (buffer == NULL || ferror(stream)) {
    free(buffer);
    return -1;
  }
  *out = buffer;
  *out_size = size;
  return 0;
}

static int enqueue(cli_args *args, cli_jobs_common *common, enqueue_options *enqueue, const char **positional,
                   int count) {
  if (count == 0) return cli_usage_error(args, "enqueue: give the job's TYPE");
  const char *type = positional[0];
  const char *inline_payload = count > 1 ? positional[1] : NULL;
  if (inline_payload && enqueue->payload_file) {
    return cli_usage_error(args, "enqueue: give the payload as an argument or with --payload-file, not both");
  }
  char *payload = NULL;
  size_t payload_size = inline_payload ? strlen(inline_payload) : 0;
  if (enqueue->payload_file) {
    FILE *file = strcmp(enqueue->payload_file, "-") == 0 ? stdin : fopen(enqueue->payload_file, "rb");
    const int failed = file == NULL || read_all(file, &payload, &payload_size) != 0;
    if (file != NULL && file != stdin) fclose(file);
    if (failed) {
      fprintf(stderr, "backoff: --payload-file: cannot read '%s': %s\n", enqueue->payload_file, strerror(errno));
      return CLI_EXIT_USAGE;
    }
  }
  if (enqueue->policy) {
    backoff_policy *policy = NULL;
    int status = cli_build_policy(args, enqueue->policy, &policy);
    if (status != 0) {
      free(payload);
      return status;
    }
    backoff_jobs_options_set_policy(enqueue->options, policy);
    backoff_policy_free(policy);
  }
  int status = cli_jobs_open(common, true);
  int64_t id = 0;
  int inserted = 0;
  if (status == 0) {
    status = backoff_jobs_enqueue(&id, &inserted, common->store, common->queue, type,
                                  payload ? payload : inline_payload, payload_size, enqueue->options);
    status = status == BACKOFF_OK ? 0 : cli_jobs_fail("enqueue", status);
  }
  free(payload);
  if (status != 0) return status;
  if (common->json) {
    printf("{\"id\": %" PRId64 ", \"inserted\": %s}\n", id, inserted ? "true" : "false");
  } else if (inserted) {
    printf("%" PRId64 "\n", id);
  } else {
    printf("%" PRId64 " (already enqueued with this unique key)\n", id);
  }
  return 0;
}

int cli_jobs_enqueue_main(int argc, char **argv) {
  cli_args args;
  cli_jobs_common common = {0};
  enqueue_options options = {0};
  cli_args_init(&args, argc, argv, CLI_HELP_JOBS);
  if (backoff_jobs_options_new(&options.options) != BACKOFF_OK) return cli_jobs_fail("enqueue", BACKOFF_ENOMEM);
  const char *positional[2];
  int count = 0;
  int status = cli_jobs_read_arguments(&args, &common, enqueue_option, &options, positional, 2, &count);
  status = status != 0 ? status : enqueue(&args, &common, &options, positional, count);
  backoff_jobs_options_free(options.options);
  backoff_config_free(options.policy);
  return cli_jobs_finish(&common, status);
}
