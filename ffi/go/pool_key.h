// A pool's key for one C call. The C API reads a key as a NUL-terminated string and Go strings have no
// NUL, so the key is copied and ended: on the stack, or on the heap past POOL_KEY_STACK bytes. As in C, a
// key ends at its first NUL byte.
#include <stdlib.h>
#include <string.h>

#define POOL_KEY_STACK 256

typedef struct {
  char *text;
  char stack[POOL_KEY_STACK];
} pool_key;

// Fills key with a copy of go; 0, or BACKOFF_ENOMEM if a long key finds no memory.
static inline int pool_key_init(pool_key *key, const char *go, size_t size) {
  key->text = size < POOL_KEY_STACK ? key->stack : malloc(size + 1);
  if (key->text == NULL) return BACKOFF_ENOMEM;
  memcpy(key->text, go, size);
  key->text[size] = '\0';
  return BACKOFF_OK;
}

static inline void pool_key_free(pool_key *key) {
  if (key->text != key->stack) free(key->text);
}

// Runs `call`, a C call that reads `key.text`, with the Go string `go` as the key; `status` receives its
// status, or BACKOFF_ENOMEM.
#define WITH_POOL_KEY(status, go, call)                                          \
  do {                                                                           \
    pool_key key;                                                                \
    status = pool_key_init(&key, _GoStringPtr(go), (size_t)_GoStringLen(go));    \
    if (status == BACKOFF_OK) {                                                  \
      status = (call);                                                           \
      pool_key_free(&key);                                                       \
    }                                                                            \
  } while (0)
