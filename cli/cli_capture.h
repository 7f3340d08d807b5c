/* cli_capture.h - the tail of an attempt's output, kept to match --retry-if-output against. */
#ifndef BACKOFF_CLI_CAPTURE_H
#define BACKOFF_CLI_CAPTURE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

/* How much output is kept: the last CLI_CAPTURE_LIMIT bytes, since errors are usually printed last. */
enum { CLI_CAPTURE_LIMIT = 1 << 20 };

typedef struct cli_capture {
  char *data;      /* NUL-terminated; NUL bytes of the output are stored as newlines */
  size_t length;
  size_t capacity;
} cli_capture;

/* An empty capture; cli_capture_free() releases it. */
void cli_capture_init(cli_capture *capture);
void cli_capture_free(cli_capture *capture);

/* Keeps `bytes`. Out of memory, it keeps what it has: the match then sees less output, never garbage. */
void cli_capture_append(cli_capture *capture, const char *bytes, size_t length);

/* True when `pattern` (compiled with REG_NOSUB) matches anywhere in the kept output. */
bool cli_capture_matches(const cli_capture *capture, const regex_t *pattern);

#endif
