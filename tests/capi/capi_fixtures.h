/* capi_fixtures.h - builds configs and policies from "name=value,name=value" text, the form the shared
 * vectors (tests/vectors/delays.tsv) use, through backoff_config_set_text(). Shared by the C tests. */
#ifndef CAPI_FIXTURES_H
#define CAPI_FIXTURES_H

#include <stdio.h>
#include <string.h>

#include "backoff.h"

/* Applies every "name=value" pair of `settings` (comma-separated; "" for none) to `config`. Returns
 * BACKOFF_OK, the first failing status, or BACKOFF_EINVAL for a pair without '=' or a name or value longer
 * than the buffers below. */
static inline int config_apply_text(backoff_config *config, const char *settings) {
  const char *pair = settings;
  while (*pair != '\0') {
    const char *end = strchr(pair, ',');
    const size_t length = end != NULL ? (size_t)(end - pair) : strlen(pair);
    const char *equals = memchr(pair, '=', length);
    char name[64], value[64];
    int status;
    if (equals == NULL || (size_t)(equals - pair) >= sizeof name ||
        length - (size_t)(equals - pair) > sizeof value) {
      return BACKOFF_EINVAL;
    }
    memcpy(name, pair, (size_t)(equals - pair));
    name[equals - pair] = '\0';
    memcpy(value, equals + 1, length - (size_t)(equals - pair) - 1);
    value[length - (size_t)(equals - pair) - 1] = '\0';
    status = backoff_config_set_text(config, name, value);
    if (status != BACKOFF_OK) return status;
    pair = end != NULL ? end + 1 : pair + length;
  }
  return BACKOFF_OK;
}

/* The policy `settings` describe, or NULL after printing why it could not be built. */
static inline backoff_policy *policy_from_text(const char *settings) {
  backoff_config *config = NULL;
  backoff_policy *policy = NULL;
  int status = backoff_config_new(&config);
  if (status == BACKOFF_OK) status = config_apply_text(config, settings);
  if (status == BACKOFF_OK) status = backoff_policy_new(&policy, config);
  backoff_config_free(config);
  if (status != BACKOFF_OK) {
    fprintf(stderr, "policy \"%s\": %s: %s\n", settings, backoff_strerror(status), backoff_last_error());
  }
  return policy;
}

#endif /* CAPI_FIXTURES_H */
