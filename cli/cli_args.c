/* Reading the command line. Policy parameters are not listed here: any option whose name the core knows
 * as a parameter goes to backoff_config_set_text(), so the names, the value syntax and the validation
 * messages are the core's, and a parameter added to the core is an option at once. */
#include "cli_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_args_init(cli_args *args, int argc, char **argv, cli_help help) {
  args->argc = argc;
  args->argv = argv;
  args->next = 1;
  args->help = help;
  args->stop_defaults_pending = false;
}

bool cli_args_next_option(cli_args *args, cli_option *option) {
  if (args->next >= args->argc) return false;
  const char *arg = args->argv[args->next];
  if (strcmp(arg, "--") == 0) {
    ++args->next;
    return false;
  }
  if (arg[0] != '-' || arg[1] == '\0') return false;
  ++args->next;
  option->arg = arg;
  option->inline_value = NULL;
  option->name[0] = '\0';
  if (strcmp(arg, "-h") == 0) {
    strcpy(option->name, "help");
    return true;
  }
  if (arg[1] != '-') return true;  /* a short option other than -h: unknown, with its name empty */
  const char *name = arg + 2;
  const char *equals = strchr(name, '=');
  const size_t length = equals ? (size_t)(equals - name) : strlen(name);
  if (length < sizeof option->name) {
    memcpy(option->name, name, length);
    option->name[length] = '\0';
  }
  if (equals) option->inline_value = equals + 1;
  return true;
}

const char *cli_args_value(cli_args *args, const cli_option *option) {
  if (option->inline_value) return option->inline_value;
  if (args->next >= args->argc) {
    cli_usage_error(args, "--%s: needs a value", option->name);
    return NULL;
  }
  return args->argv[args->next++];
}

int cli_usage_error(const cli_args *args, const char *format, ...) {
  va_list values;
  va_start(values, format);
  cli_print_usage_hint(stderr, args->help);
  fputs("backoff: ", stderr);
  vfprintf(stderr, format, values);
  fputc('\n', stderr);
  va_end(values);
  return CLI_EXIT_USAGE;
}

int cli_print_help(const cli_args *args) {
  cli_print_usage(stdout, args->help);
  return cli_finish_output(0);
}

int cli_finish_output(int status) {
  if (fflush(stdout) == 0 && !ferror(stdout)) return status;
  fprintf(stderr, "backoff: cannot write the standard output: %s\n", strerror(errno ? errno : EIO));
  return status != 0 ? status : CLI_EXIT_OWN_FAILURE;
}

int cli_start_policy_command(cli_args *args, int argc, char **argv, cli_help help, backoff_config **config) {
  cli_args_init(args, argc, argv, help);
  if (backoff_config_new(config) != BACKOFF_OK) {
    fprintf(stderr, "backoff: %s\n", backoff_last_error());
    return CLI_EXIT_OWN_FAILURE;
  }
  args->stop_defaults_pending = true;
  return 0;
}

/* The stop parameters are those with a retry loop default: the core says which, and what they take. */
static const char *retry_default_of(int param) {
  return backoff_param_info(BACKOFF_ENUM_PARAM, param, BACKOFF_FIELD_RETRY_DEFAULT);
}

int cli_apply_policy_option(cli_args *args, backoff_config *config, const cli_option *option) {
  char parameter[sizeof option->name];
  strcpy(parameter, option->name);
  for (char *c = parameter; *c; ++c) {
    if (*c == '-') *c = '_';
  }
  int param;
  if (parameter[0] == '\0' || backoff_param_from_name(&param, parameter) != BACKOFF_OK) return 0;
  const char *value = cli_args_value(args, option);
  if (value == NULL) return CLI_EXIT_USAGE;
  if (backoff_config_set_text(config, parameter, value) != BACKOFF_OK) {
    return cli_usage_error(args, "%s", backoff_last_error());
  }
  if (retry_default_of(param)[0] != '\0') args->stop_defaults_pending = false;
  return 1;
}

int cli_build_policy(const cli_args *args, backoff_config *config, backoff_policy **out) {
  for (int param = 0; args->stop_defaults_pending && backoff_param_name(param) != NULL; ++param) {
    const char *stop = retry_default_of(param);
    if (stop[0] != '\0') backoff_config_set_text(config, backoff_param_name(param), stop);
  }
  const int status = backoff_policy_new(out, config);
  if (status == BACKOFF_ENOMEM) {
    fprintf(stderr, "backoff: %s\n", backoff_last_error());
    return CLI_EXIT_OWN_FAILURE;
  }
  return status == BACKOFF_OK ? 0 : cli_usage_error(args, "%s", backoff_last_error());
}

int cli_parse_duration(const cli_args *args, const cli_option *option, const char *text, int64_t *out_ns) {
  if (backoff_duration_parse(out_ns, text, option->name) != BACKOFF_OK) {
    return cli_usage_error(args, "%s", backoff_last_error());
  }
  return 0;
}

/* Reads a status 0-255 at *text and advances past it; false when there is none. */
static bool read_status(const char **text, int *out) {
  if (**text < '0' || **text > '9') return false;  /* strtol would also take signs and spaces */
  char *end;
  errno = 0;
  const long value = strtol(*text, &end, 10);
  if (errno != 0 || value > 255) return false;
  *text = end;
  *out = (int)value;
  return true;
}

int cli_parse_status_set(const cli_args *args, const cli_option *option, const char *text,
                         cli_status_set *set) {
  const char *cursor = text;
  for (;;) {
    int first, last;
    if (!read_status(&cursor, &first)) break;
    last = first;
    if (*cursor == '-') {
      ++cursor;
      if (!read_status(&cursor, &last) || last < first) break;
    }
    for (int status = first; status <= last; ++status) set->member[status] = true;
    if (*cursor == '\0') {
      set->given = true;
      return 0;
    }
    if (*cursor++ != ',') break;
  }
  return cli_usage_error(args, "%s: expects exit statuses 0-255 such as 1,75,100-110 (got '%s')",
                         option->name, text);
}
