/* backoff.h compiles as strict C99 under the warnings a careful C user turns on, includes what it needs
 * itself, is include-guarded, and declares every function with the promised prototype
 * (header_prototypes.h). The constants are integer constant expressions of the documented types. */
#define BACKOFF_EXPERIMENTAL /* both tiers */
#include "backoff.h" /* first: the header must be self-contained */
#include "backoff.h" /* twice: the include guard works */
#include "header_prototypes.h"

#include <stdio.h>

/* Constant expressions: these are errors at file scope if a macro is not one. */
static const int64_t stop_value = BACKOFF_STOP;
static const int64_t one_second = BACKOFF_SECOND;
static const unsigned version = BACKOFF_VERSION_NUMBER;
static const char version_text[] = BACKOFF_VERSION_STRING;
static const int millis_per_second[BACKOFF_SECOND / BACKOFF_MILLISECOND == 1000 ? 1 : -1] = {1000};

/* Each enum is a C type with the values C code switches on. */
static int is_error(backoff_status status) {
  switch (status) {
    case BACKOFF_OK: return 0;
    case BACKOFF_EINVAL: case BACKOFF_ENULL: case BACKOFF_EUNKNOWN: case BACKOFF_ETYPE: case BACKOFF_ENOMEM:
    case BACKOFF_EINTERNAL: case BACKOFF_EREENTRANT: case BACKOFF_ECANCELED: case BACKOFF_EOPEN:
    case BACKOFF_EBUDGET: case BACKOFF_EGAVEUP: case BACKOFF_EPERMANENT: case BACKOFF_EDEADLINE: return 1;
  }
  return 1;
}

int main(void) {
  const backoff_param param = BACKOFF_PARAM_SEED;
  const backoff_value_type type = BACKOFF_TYPE_SEED;
  const backoff_kind kind = BACKOFF_KIND_DECORRELATED;
  const backoff_jitter jitter = BACKOFF_JITTER_RANDOMIZATION;

  if (pin_version_number() != version || pin_stop() != stop_value || one_second != 1000000000 ||
      millis_per_second[0] != 1000 || version_text[0] == '\0' || is_error(BACKOFF_OK) ||
      !is_error(BACKOFF_ENULL) || pin_param_type(param) != (int)type || (int)kind != 3 || (int)jitter != 3) {
    fprintf(stderr, "header_test.c: the header's constants disagree with the library\n");
    return 1;
  }
  puts("backoff.h compiles as C99 and every declaration links");
  return 0;
}
