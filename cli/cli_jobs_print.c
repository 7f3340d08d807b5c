/* Row sets printed: a table for people, JSON for machines. The JSON names are the library's field names,
 * and which fields a row set carries is asked of the row set, so a field added to the library appears. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "cli_jobs.h"

enum { NS_PER_MS = 1000000, MS_PER_S = 1000 };

void cli_jobs_format_time(char *out, size_t size, int64_t unix_ns) {
  if (unix_ns <= 0) {
    snprintf(out, size, "-");
    return;
  }
  const time_t seconds = (time_t)(unix_ns / NS_PER_MS / MS_PER_S);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  char whole[24];
  strftime(whole, sizeof whole, "%Y-%m-%dT%H:%M:%S", &utc);
  snprintf(out, size, "%s.%03dZ", whole, (int)(unix_ns / NS_PER_MS % MS_PER_S));
}

/* The length of the valid UTF-8 sequence at `bytes` (at most `left` bytes), or 0 if it is not one. */
static size_t utf8_length(const unsigned char *bytes, uint64_t left) {
  const unsigned char lead = bytes[0];
  const size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || length > left) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((bytes[i] & 0xC0) != 0x80) return 0;
  }
  return length;
}

void cli_jobs_json_string(FILE *out, const char *bytes, uint64_t size) {
  const unsigned char *text = (const unsigned char *)bytes;
  fputc('"', out);
  for (uint64_t i = 0; i < size;) {
    const unsigned char c = text[i];
    const size_t length = utf8_length(text + i, size - i);
    if (length == 0) {
      fputs("\\ufffd", out);
      ++i;
      continue;
    }
    if (c == '"' || c == '\\') {
      fprintf(out, "\\%c", c);
    } else if (c == '\n') {
      fputs("\\n", out);
    } else if (c < 0x20 || c == 0x7F) {
      fprintf(out, "\\u%04x", c);
    } else {
      fwrite(text + i, 1, length, out);
    }
    i += length;
  }
  fputc('"', out);
}

const char *cli_jobs_state_name(int64_t state) {
  const char *name = backoff_jobs_name_of(BACKOFF_JOBS_ENUM_STATE, (int)state);
  return name ? name : "?";
}

static int64_t field_i64(const backoff_jobs_rows *rows, uint64_t row, int field) {
  int64_t value = 0;
  backoff_jobs_rows_get_i64(&value, rows, row, field);
  return value;
}

static const char *field_text(const backoff_jobs_rows *rows, uint64_t row, int field, uint64_t *out_size) {
  const void *bytes = "";
  uint64_t size = 0;
  backoff_jobs_rows_get_bytes(&bytes, &size, rows, row, field);
  if (out_size) *out_size = size;
  return bytes;
}

/* One object per row: every field the row set carries, integers as numbers, bytes as strings. */
static void print_json(const backoff_jobs_rows *rows, uint64_t count) {
  fputc('[', stdout);
  for (uint64_t row = 0; row < count; ++row) {
    fputs(row ? ",\n {" : "{", stdout);
    const char *separator = "";
    for (int field = 0;; ++field) {
      const char *name = backoff_jobs_name_of(BACKOFF_JOBS_ENUM_FIELD, field);
      if (name == NULL) break;
      int64_t number = 0;
      const int status = backoff_jobs_rows_get_i64(&number, rows, row, field);
      if (status != BACKOFF_OK && status != BACKOFF_ETYPE) continue; /* not carried by this row set */
      fprintf(stdout, "%s\"%s\": ", separator, name);
      separator = ", ";
      if (status == BACKOFF_OK && field == BACKOFF_JOBS_FIELD_STATE) {
        fprintf(stdout, "\"%s\"", cli_jobs_state_name(number));
      } else if (status == BACKOFF_OK) {
        fprintf(stdout, "%" PRId64, number);
      } else {
        uint64_t size = 0;
        const char *bytes = field_text(rows, row, field, &size);
        cli_jobs_json_string(stdout, bytes, size);
      }
    }
    fputc('}', stdout);
  }
  fputs("]\n", stdout);
}

/* The first line of an error, for a table cell. */
static int first_line_length(const char *text) {
  const size_t length = strcspn(text, "\n");
  return (int)(length > 60 ? 60 : length);
}

/* JSON, or "no jobs": returns true when that was all there is to print. */
static bool printed_plainly(const backoff_jobs_rows *rows, bool json, uint64_t *out_count) {
  backoff_jobs_rows_count(out_count, rows);
  if (json) {
    print_json(rows, *out_count);
  } else if (*out_count == 0) {
    puts("no jobs");
  }
  return json || *out_count == 0;
}

int cli_jobs_print_jobs(const backoff_jobs_rows *rows, bool json) {
  uint64_t count = 0;
  if (printed_plainly(rows, json, &count)) return 0;
  printf("%-8s %-9s %-16s %-12s %-9s %-24s %s\n", "ID", "STATE", "TYPE", "QUEUE", "ATTEMPT", "RUN AT", "LAST ERROR");
  for (uint64_t row = 0; row < count; ++row) {
    char run_at[CLI_JOBS_TIME_SIZE], attempts[32];
    cli_jobs_format_time(run_at, sizeof run_at, field_i64(rows, row, BACKOFF_JOBS_FIELD_RUN_AT_NS));
    const int64_t max_attempts = field_i64(rows, row, BACKOFF_JOBS_FIELD_MAX_ATTEMPTS);
    if (max_attempts > 0) {
      snprintf(attempts, sizeof attempts, "%" PRId64 "/%" PRId64, field_i64(rows, row, BACKOFF_JOBS_FIELD_ATTEMPT),
               max_attempts);
    } else {
      snprintf(attempts, sizeof attempts, "%" PRId64, field_i64(rows, row, BACKOFF_JOBS_FIELD_ATTEMPT));
    }
    const char *error = field_text(rows, row, BACKOFF_JOBS_FIELD_ERROR, NULL);
    printf("%-8" PRId64 " %-9s %-16s %-12s %-9s %-24s %.*s\n", field_i64(rows, row, BACKOFF_JOBS_FIELD_ID),
           cli_jobs_state_name(field_i64(rows, row, BACKOFF_JOBS_FIELD_STATE)),
           field_text(rows, row, BACKOFF_JOBS_FIELD_TYPE, NULL), field_text(rows, row, BACKOFF_JOBS_FIELD_QUEUE, NULL),
           attempts, run_at, first_line_length(error), error);
  }
  return 0;
}

int cli_jobs_print_stats(const backoff_jobs_rows *rows, bool json) {
  uint64_t count = 0;
  if (printed_plainly(rows, json, &count)) return 0;
  printf("%-20s %-10s %10s\n", "QUEUE", "STATE", "JOBS");
  for (uint64_t row = 0; row < count; ++row) {
    printf("%-20s %-10s %10" PRId64 "\n", field_text(rows, row, BACKOFF_JOBS_FIELD_QUEUE, NULL),
           cli_jobs_state_name(field_i64(rows, row, BACKOFF_JOBS_FIELD_STATE)),
           field_i64(rows, row, BACKOFF_JOBS_FIELD_COUNT));
  }
  return 0;
}
