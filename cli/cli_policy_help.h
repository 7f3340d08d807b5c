/* cli_policy_help.h - the help's policy options, written from the library's parameter table. */
#ifndef BACKOFF_CLI_POLICY_HELP_H
#define BACKOFF_CLI_POLICY_HELP_H

#include <stdbool.h>
#include <stdio.h>

/* Prints a line per policy parameter the library has: its option, a metavariable for its type, what it
 * does, its choices and its default, all but the prose asked of the library (backoff_param_info), so a
 * parameter, a jitter mode or a default changed in the library shows at once. Then `footer`. With
 * `retry_loop` (retry, schedule) a stop's default is the one of a loop given no stop
 * (BACKOFF_FIELD_RETRY_DEFAULT); else (a job's policy) the policy's own. */
void cli_print_policy_options(FILE *stream, const char *footer, bool retry_loop);

#endif
