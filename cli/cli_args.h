/* cli_args.h - reading the command line: options, policy parameters handed to the core, and values. */
#ifndef BACKOFF_CLI_ARGS_H
#define BACKOFF_CLI_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "backoff.h"
#include "cli.h"

/* The arguments of one subcommand, read left to right. */
typedef struct cli_args {
  int argc;
  char **argv;
  int next;       /* index of the next unread argument */
  cli_help help;  /* the usage printed with every error */
  /* A retry loop's command (retry, schedule) until one of its stops is given: its policy then takes the
   * core's stop for a loop given none (BACKOFF_FIELD_RETRY_DEFAULT) when it is built. */
  bool stop_defaults_pending;
} cli_args;

/* One option: "--name VALUE" or "--name=VALUE". */
typedef struct cli_option {
  char name[64];           /* without the dashes; "" for an option too long to be any of ours */
  const char *arg;         /* the argument as written, for messages */
  const char *inline_value; /* the text after '=', or NULL */
} cli_option;

/* A set of exit statuses 0-255, as --retry-on and --permanent give them. */
typedef struct cli_status_set {
  bool given;
  bool member[256];
} cli_status_set;

/* Starts reading argv[1...]; argv[0] is the subcommand. */
void cli_args_init(cli_args *args, int argc, char **argv, cli_help help);

/* Reads the next option. Returns false where the options end: at "--" (consumed), at the first argument
 * that is not an option (left for the caller), or at the end of argv. "-h" reads as "help". */
bool cli_args_next_option(cli_args *args, cli_option *option);

/* The option's value: the inline one or the next argument. Prints a usage error and returns NULL when
 * it is missing. */
const char *cli_args_value(cli_args *args, const cli_option *option);

/* Prints the one-line usage hint and "backoff: MESSAGE" on stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error(const cli_args *args, const char *format, ...);

/* Prints the usage on stdout for --help; returns as cli_finish_output(0). */
int cli_print_help(const cli_args *args);

/* Flushes stdout. Returns `status`, or, when the output could not be written (a full disk, a closed
 * pipe), prints why on stderr and returns `status` if non-zero, else CLI_EXIT_OWN_FAILURE. */
int cli_finish_output(int status);

/* Starts a subcommand that runs or shows a retry loop: cli_args_init(), and in *config a config with the
 * core's defaults. Unless a stop option (--max-attempts, --max-elapsed, --deadline) is given, the policy
 * cli_build_policy() builds has the core's stop for a loop given none: retrying forever is a poor default
 * for a command. Returns CLI_EXIT_OWN_FAILURE when out of memory, else 0. */
int cli_start_policy_command(cli_args *args, int argc, char **argv, cli_help help, backoff_config **config);

/* If `option` names a policy parameter (dashes read as underscores), hands its value to the core with
 * backoff_config_set_text(). Returns 1 when applied, 0 when the option is not a policy parameter, and
 * CLI_EXIT_USAGE with the core's message printed when the core rejects the value. */
int cli_apply_policy_option(cli_args *args, backoff_config *config, const cli_option *option);

/* Builds the policy, with the loop's default stop when cli_start_policy_command() started the command and
 * no stop was given; on failure prints the core's message with the usage and returns CLI_EXIT_USAGE. */
int cli_build_policy(const cli_args *args, backoff_config *config, backoff_policy **out);

/* Parses a duration through the core, so it reads exactly as the policy's. Returns 0 or CLI_EXIT_USAGE. */
int cli_parse_duration(const cli_args *args, const cli_option *option, const char *text, int64_t *out_ns);

/* Adds "1,75,100-110" to `set`. Returns 0 or CLI_EXIT_USAGE. */
int cli_parse_status_set(const cli_args *args, const cli_option *option, const char *text,
                         cli_status_set *set);

#endif
