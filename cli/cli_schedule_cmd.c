/* `backoff schedule`: shows the waits a policy makes, as a table, as JSON, and as an SVG plot. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backoff.h"
#include "cli.h"
#include "cli_args.h"
#include "cli_format.h"
#include "cli_output.h"
#include "cli_schedule.h"

/* parse_schedule_options() returns this, or an exit status to end with at once. */
enum { PARSED = -1 };

typedef struct schedule_options {
  bool json;
  const char *plot_path;
} schedule_options;

static int parse_schedule_options(cli_args *args, backoff_config *config, schedule_options *options) {
  cli_option option;
  while (cli_args_next_option(args, &option)) {
    const int applied = cli_apply_policy_option(args, config, &option);
    if (applied == 1) continue;
    if (applied != 0) return applied;
    if (strcmp(option.name, "help") == 0) return cli_print_help(args);
    if (strcmp(option.name, "json") == 0) {
      if (option.inline_value) {
        return cli_usage_error(args, "json: takes no value (got '%s')", option.inline_value);
      }
      options->json = true;
    } else if (strcmp(option.name, "plot") == 0) {
      options->plot_path = cli_args_value(args, &option);
      if (options->plot_path == NULL) return CLI_EXIT_USAGE;
    } else {
      return cli_usage_error(args, "unknown option '%s'", option.arg);
    }
  }
  if (args->next < args->argc) {
    return cli_usage_error(args, "schedule: unexpected argument '%s'", args->argv[args->next]);
  }
  return PARSED;
}

static void print_duration(int64_t ns) {
  char text[CLI_DURATION_SIZE];
  cli_format_duration(text, sizeof text, ns);
  printf(" %11s", text);
}

static void print_rows(const cli_schedule *schedule) {
  if (schedule->jittered) {
    printf("retry %11s %11s %11s %11s %11s %11s %11s\n", "min", "p50", "p95", "max", "total p50", "total p95",
           "total max");
  } else {
    printf("retry %11s %11s\n", "wait", "total");
  }
  for (size_t i = 0; i < schedule->count; ++i) {
    const cli_schedule_row *row = &schedule->rows[i];
    printf("%5llu", (unsigned long long)row->retry);
    if (schedule->jittered) {
      const int64_t values[] = {row->min_ns, row->p50_ns, row->p95_ns, row->max_ns,
                                row->total_p50_ns, row->total_p95_ns, row->total_max_ns};
      for (size_t v = 0; v < sizeof values / sizeof values[0]; ++v) print_duration(values[v]);
    } else {
      print_duration(row->min_ns);
      print_duration(row->total_max_ns);
    }
    puts(row->may_stop ? " *" : "");
  }
}

/* Says why the rows end there, and what the retrying does after them. */
static void print_end(const cli_schedule *schedule, const backoff_policy *policy) {
  int64_t max_attempts = 0, max_elapsed_ns = 0;
  backoff_policy_get_i64(&max_attempts, policy, BACKOFF_PARAM_MAX_ATTEMPTS);
  backoff_policy_get_i64(&max_elapsed_ns, policy, BACKOFF_PARAM_MAX_ELAPSED_NS);
  char max_elapsed[CLI_DURATION_SIZE];
  cli_format_duration(max_elapsed, sizeof max_elapsed, max_elapsed_ns);
  const unsigned long long last = schedule->count;
  /* Without end by the attempts: there are none to count, or under --stop-when all they need max_elapsed. */
  const char *endless = max_attempts == 0 ? "max_attempts 0" : "stop_when all";
  switch (schedule->end) {
    case CLI_SCHEDULE_END_MAX_ATTEMPTS:
      printf("then gives up: max_attempts %lld allows %llu retries\n", (long long)max_attempts,
             (unsigned long long)schedule->retries);
      break;
    case CLI_SCHEDULE_END_MAX_ELAPSED:
      printf("then gives up: retry %llu's %swait would end past max_elapsed %s\n", last + 1,
             schedule->jittered ? "shortest " : "", max_elapsed);
      break;
    case CLI_SCHEDULE_END_UNLIMITED:
      if (schedule->capped) {
        printf("then every retry waits as retry %llu, without end (%s)%s\n", last, endless,
               max_elapsed_ns ? ", until max_elapsed" : "");
      } else {
        printf("then more retries, without end (%s); the first %llu are shown\n", endless, last);
      }
      break;
    case CLI_SCHEDULE_END_ROW_LIMIT:
      printf("then %llu more retries (max_attempts %lld); the first %llu are shown\n",
             (unsigned long long)schedule->retries - last, (long long)max_attempts, last);
      break;
  }
  for (size_t i = 0; i < schedule->count; ++i) {
    if (schedule->rows[i].may_stop) {
      printf("* max_elapsed %s may end the retrying before this wait\n", max_elapsed);
      break;
    }
  }
}

static void print_table(const cli_schedule *schedule, const backoff_policy *policy) {
  char description[512];
  cli_describe_policy(description, sizeof description, policy);
  printf("%s\n\n", description);
  if (schedule->count > 0) print_rows(schedule);
  print_end(schedule, policy);
  char total[CLI_DURATION_SIZE];
  cli_format_duration(total, sizeof total, schedule->worst_total_ns);
  if (schedule->worst_total_ns < 0) {
    printf("worst-case total wait: %s\n", schedule->retries == UINT64_MAX ? "unbounded" : "not computed");
  } else if (schedule->worst_total_ns == INT64_MAX) {
    puts("worst-case total wait: more than INT64_MAX ns (292 years)");
  } else {
    printf("worst-case total wait: %s%s\n", total,
           schedule->worst_total_is_max_elapsed ? " (max_elapsed)" : "");
  }
  if (!schedule->jittered) return;
  const unsigned long long seed = schedule->seed;
  if (schedule->form == CLI_SCHEDULE_CHAIN) {
    printf("min and max bound every wait; p50, p95 and the totals are of what `backoff retry` waits: %d walks\n"
           "of the decorrelated chain, each wait drawn from the one before (seeds %llu to %llu, as --seed)\n",
           CLI_SCHEDULE_SAMPLES, seed, seed + CLI_SCHEDULE_SAMPLES - 1);
  } else {
    printf("min and max are exact; p50, p95 and the totals are of what `backoff retry` waits: the stateless\n"
           "delay for %d keys with seed %llu\n", CLI_SCHEDULE_SAMPLES, seed);
  }
}

static int show(const schedule_options *options, const backoff_policy *policy, backoff_config *config) {
  cli_schedule schedule;
  if (cli_schedule_compute(&schedule, policy, config) != 0) {
    fputs("backoff: out of memory\n", stderr);
    return CLI_EXIT_OWN_FAILURE;
  }
  int status = 0;
  if (options->json) {
    cli_write_schedule_json(stdout, &schedule, policy);
  } else {
    print_table(&schedule, policy);
  }
  if (options->plot_path != NULL && cli_write_schedule_svg(options->plot_path, &schedule, policy) != 0) {
    fprintf(stderr, "backoff: cannot write %s: %s\n", options->plot_path, strerror(errno));
    status = CLI_EXIT_OWN_FAILURE;
  }
  cli_schedule_free(&schedule);
  return cli_finish_output(status);
}

int cli_schedule_main(int argc, char **argv) {
  cli_args args;
  backoff_config *config = NULL;
  int status = cli_start_policy_command(&args, argc, argv, CLI_HELP_SCHEDULE, &config);
  if (status != 0) return status;
  /* Percentiles from a fixed seed: the same options print the same numbers. --seed overrides it. */
  backoff_config_set_text(config, "seed", "0");
  schedule_options options = {false, NULL};
  status = parse_schedule_options(&args, config, &options);
  backoff_policy *policy = NULL;
  if (status == PARSED) status = cli_build_policy(&args, config, &policy);
  if (policy != NULL) status = show(&options, policy, config);
  backoff_config_free(config);
  backoff_policy_free(policy);
  return status;
}
