/* cli_spool.h - bytes kept for later: in memory up to a bound, then in an unlinked temporary file.
 *
 * `backoff retry` keeps its standard input this way, to give every attempt the same input, and an
 * attempt's stdout, to pass on only the output of the attempt that decides the result. The bound keeps a
 * large input or output from growing backoff's memory; the temporary file is unlinked as soon as it is
 * made, so nothing is left behind however backoff ends. */
#ifndef BACKOFF_CLI_SPOOL_H
#define BACKOFF_CLI_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Bytes held in memory; the rest goes to the file. docs/cli.md quotes it. */
enum { CLI_SPOOL_MEMORY_LIMIT = 1 << 20 };

typedef struct cli_spool {
  char *memory;     /* the first bytes, up to CLI_SPOOL_MEMORY_LIMIT */
  size_t length;    /* bytes in memory */
  size_t capacity;
  int file;         /* the bytes past the memory's, or -1 until there are any */
  uint64_t spilled; /* bytes in the file */
} cli_spool;

/* An empty spool; cli_spool_free() releases it. */
void cli_spool_init(cli_spool *spool);
void cli_spool_free(cli_spool *spool);

/* Forgets the bytes, keeping the memory and the file for the next use. */
void cli_spool_clear(cli_spool *spool);

/* Appends `bytes`. Returns 0, or -1 with errno set (out of memory, no temporary file, a full disk). */
int cli_spool_append(cli_spool *spool, const char *bytes, size_t length);

uint64_t cli_spool_size(const cli_spool *spool);

/* Copies up to `size` bytes from `offset` to `out`. Returns how many (0 at the end), or -1 with errno. */
ssize_t cli_spool_read_at(const cli_spool *spool, uint64_t offset, char *out, size_t size);

/* Writes every byte to `fd`. Returns 0, or the errno of the failure (EPIPE for a closed pipe, ENOSPC, ...). */
int cli_spool_write_to(const cli_spool *spool, int fd);

/* Writes `length` bytes to `fd`, through short writes and EINTR. Returns 0, or the errno of the failure. */
int cli_write_all(int fd, const char *bytes, size_t length);

#endif
