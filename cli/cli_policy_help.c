/* The policy options of the help text. The library knows each parameter's name, type, choices and
 * default; this file adds only the prose of what each one does. */
#include "cli_policy_help.h"

#include <ctype.h>
#include <string.h>

#include "backoff.h"

/* What a parameter does, in the help's words. A parameter the library adds later is listed without. */
static const char *purpose_of(const char *param) {
  static const struct {
    const char *param;
    const char *purpose;
  } purposes[] = {
      {"kind", "how the wait grows"},
      {"initial", "the first wait"},
      {"multiplier", "growth per retry of exponential and decorrelated"},
      {"increment", "growth per retry of linear"},
      {"cap", "no wait is longer"},
      {"jitter", "how waits are spread"},
      {"randomization_factor", "spread of randomization jitter, in [0, 1]"},
      {"max_attempts", "attempts in all, the first included; 0 = unlimited"},
      {"max_elapsed", "give up when the next wait would end past it; 0 = never"},
      {"seed", "makes every random draw reproducible"},
      {"deadline", "give up when the next wait would end past it, counted from the start; 0 = none"},
      {"stop_when", "with max attempts and max elapsed both set, give up at the first reached or once both are"},
  };
  for (size_t i = 0; i < sizeof purposes / sizeof purposes[0]; ++i) {
    if (strcmp(purposes[i].param, param) == 0) return purposes[i].purpose;
  }
  return NULL;
}

/* DURATION, N, X, or the parameter's own name in capitals for a choice (--kind KIND). */
static void write_metavariable(char *out, size_t size, const char *param, const char *type) {
  const char *fixed = strcmp(type, "duration") == 0 ? "DURATION" : strcmp(type, "real") == 0 ? "X" : "N";
  if (strcmp(type, "choice") != 0) {
    snprintf(out, size, "%s", fixed);
    return;
  }
  size_t i = 0;
  for (; param[i] != '\0' && i + 1 < size; ++i) out[i] = (char)toupper((unsigned char)param[i]);
  out[i] = '\0';
}

static const char *info(int param, int field) { return backoff_param_info(BACKOFF_ENUM_PARAM, param, field); }

/* "  --kind KIND    how the wait grows: constant, linear, exponential, decorrelated (default exponential)" */
static void print_option(FILE *stream, int param, bool retry_loop) {
  const char *name = info(param, BACKOFF_FIELD_NAME);
  const char *choices = info(param, BACKOFF_FIELD_CHOICES);
  const char *purpose = purpose_of(name);
  char spelled[48], metavariable[32], option[96];
  snprintf(spelled, sizeof spelled, "%s", name);
  for (char *c = spelled; *c; ++c) {
    if (*c == '_') *c = '-';
  }
  write_metavariable(metavariable, sizeof metavariable, name, info(param, BACKOFF_FIELD_TYPE));
  snprintf(option, sizeof option, "--%s %s", spelled, metavariable);
  fprintf(stream, "  %-26s  %s", option, purpose != NULL ? purpose : info(param, BACKOFF_FIELD_DOMAIN));
  if (choices[0] != '\0') fprintf(stream, ": %s", choices);
  /* A retry loop given no stop takes the core's; given another stop, this one keeps the policy's default. */
  const char *policy_default = info(param, BACKOFF_FIELD_DEFAULT);
  const char *loop_default = retry_loop ? info(param, BACKOFF_FIELD_RETRY_DEFAULT) : "";
  const bool differs = loop_default[0] != '\0' && strcmp(loop_default, policy_default) != 0;
  if (differs) fprintf(stream, ", %s when only another stop is given", policy_default);
  fprintf(stream, " (default %s)\n", differs ? loop_default : policy_default);
}

void cli_print_policy_options(FILE *stream, const char *footer, bool retry_loop) {
  fputs("\nPolicy options (named as the C and Python parameters; --max-attempts sets max_attempts):\n", stream);
  for (int param = 0; info(param, BACKOFF_FIELD_NAME) != NULL; ++param) print_option(stream, param, retry_loop);
  fputs(footer, stream);
}
