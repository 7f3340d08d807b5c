/* Bytes kept for later, in memory and then in a temporary file. */
#include "cli_spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_spool_init(cli_spool *spool) {
  spool->memory = NULL;
  spool->length = 0;
  spool->capacity = 0;
  spool->file = -1;
  spool->spilled = 0;
}

void cli_spool_free(cli_spool *spool) {
  free(spool->memory);
  if (spool->file >= 0) close(spool->file);
  cli_spool_init(spool);
}

void cli_spool_clear(cli_spool *spool) {
  spool->length = 0;
  spool->spilled = 0;
}

/* An unlinked file in $TMPDIR (or /tmp), closed on exec so that no attempt inherits it. */
static int open_spill_file(void) {
  const char *directory = getenv("TMPDIR");
  if (directory == NULL || directory[0] == '\0') directory = "/tmp";
  char path[4096];
  if (snprintf(path, sizeof path, "%s/backoff-spool-XXXXXX", directory) >= (int)sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  const int fd = mkstemp(path);
  if (fd < 0) return -1;
  unlink(path);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

int cli_write_all(int fd, const char *bytes, size_t length) {
  while (length > 0) {
    const ssize_t written = write(fd, bytes, length);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return written < 0 ? errno : EIO;
    bytes += written;
    length -= (size_t)written;
  }
  return 0;
}

static int spill(cli_spool *spool, const char *bytes, size_t length) {
  if (spool->file < 0 && (spool->file = open_spill_file()) < 0) return -1;
  /* pwrite: a clear()ed spool writes over the old bytes from the start. */
  while (length > 0) {
    const ssize_t written = pwrite(spool->file, bytes, length, (off_t)spool->spilled);
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return -1;
    bytes += written;
    length -= (size_t)written;
    spool->spilled += (uint64_t)written;
  }
  return 0;
}

int cli_spool_append(cli_spool *spool, const char *bytes, size_t length) {
  const size_t room = spool->spilled == 0 ? CLI_SPOOL_MEMORY_LIMIT - spool->length : 0;
  const size_t to_memory = length < room ? length : room;
  if (to_memory > 0) {
    if (spool->length + to_memory > spool->capacity) {
      size_t capacity = spool->capacity ? spool->capacity : 65536;
      while (capacity < spool->length + to_memory) capacity *= 2;
      if (capacity > CLI_SPOOL_MEMORY_LIMIT) capacity = CLI_SPOOL_MEMORY_LIMIT;
      char *grown = realloc(spool->memory, capacity);
      if (grown == NULL) return -1;
      spool->memory = grown;
      spool->capacity = capacity;
    }
    memcpy(spool->memory + spool->length, bytes, to_memory);
    spool->length += to_memory;
  }
  return to_memory == length ? 0 : spill(spool, bytes + to_memory, length - to_memory);
}

uint64_t cli_spool_size(const cli_spool *spool) { return spool->length + spool->spilled; }

ssize_t cli_spool_read_at(const cli_spool *spool, uint64_t offset, char *out, size_t size) {
  if (offset < spool->length) {
    const size_t available = spool->length - (size_t)offset;
    const size_t count = size < available ? size : available;
    memcpy(out, spool->memory + offset, count);
    return (ssize_t)count;
  }
  const uint64_t file_offset = offset - spool->length;
  if (file_offset >= spool->spilled) return 0;
  const uint64_t available = spool->spilled - file_offset;
  const size_t count = available < size ? (size_t)available : size;
  ssize_t got;
  do {
    got = pread(spool->file, out, count, (off_t)file_offset);
  } while (got < 0 && errno == EINTR);
  return got;
}

int cli_spool_write_to(const cli_spool *spool, int fd) {
  int error = cli_write_all(fd, spool->memory ? spool->memory : "", spool->length);
  char buffer[65536];
  for (uint64_t offset = spool->length; error == 0 && offset < cli_spool_size(spool);) {
    const ssize_t got = cli_spool_read_at(spool, offset, buffer, sizeof buffer);
    if (got <= 0) {
      error = got == 0 ? EIO : errno;
    } else {
      error = cli_write_all(fd, buffer, (size_t)got);
      offset += (uint64_t)got;
    }
  }
  return error;
}
