/* The tail of an attempt's output. */
#include "cli_capture.h"

#include <stdlib.h>
#include <string.h>

void cli_capture_init(cli_capture *capture) {
  capture->data = NULL;
  capture->length = 0;
  capture->capacity = 0;
}

void cli_capture_free(cli_capture *capture) {
  free(capture->data);
  cli_capture_init(capture);
}

/* Makes room for `extra` more bytes and the NUL, dropping the oldest output past twice the limit, so
 * that trimming (a memmove of the limit) happens at most once per CLI_CAPTURE_LIMIT bytes appended. */
static bool reserve(cli_capture *capture, size_t extra) {
  if (capture->length + extra > 2 * (size_t)CLI_CAPTURE_LIMIT) {
    const size_t keep = capture->length < CLI_CAPTURE_LIMIT ? capture->length : CLI_CAPTURE_LIMIT;
    memmove(capture->data, capture->data + capture->length - keep, keep);
    capture->length = keep;
  }
  const size_t needed = capture->length + extra + 1;
  if (needed <= capture->capacity) return true;
  size_t capacity = capture->capacity ? capture->capacity : 4096;
  while (capacity < needed) capacity *= 2;
  char *grown = realloc(capture->data, capacity);
  if (grown == NULL) return false;
  capture->data = grown;
  capture->capacity = capacity;
  return true;
}

void cli_capture_append(cli_capture *capture, const char *bytes, size_t length) {
  /* Only the tail of one huge read can matter. */
  if (length > CLI_CAPTURE_LIMIT) {
    bytes += length - CLI_CAPTURE_LIMIT;
    length = CLI_CAPTURE_LIMIT;
  }
  if (!reserve(capture, length)) return;
  char *end = capture->data + capture->length;
  for (size_t i = 0; i < length; ++i) end[i] = bytes[i] == '\0' ? '\n' : bytes[i];
  capture->length += length;
  capture->data[capture->length] = '\0';
}

bool cli_capture_matches(const cli_capture *capture, const regex_t *pattern) {
  return regexec(pattern, capture->data ? capture->data : "", 0, NULL, 0) == 0;
}
