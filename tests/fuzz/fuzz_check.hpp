// FUZZ_REQUIRE: the invariant check of every fuzz target.
//
// A broken invariant prints what was expected and the values seen, then aborts: libFuzzer saves the
// input as a crash artifact, and the corpus replay test fails. It is independent of NDEBUG, so release
// builds check exactly what sanitizer builds check.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "backoff.h"

#define FUZZ_REQUIRE(condition, ...)                                                     \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n  ", __FILE__, __LINE__, #condition); \
      std::fprintf(stderr, __VA_ARGS__);                                                 \
      std::fputc('\n', stderr);                                                          \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

// A new config handle from its constructor (backoff_config_new, backoff_breaker_config_new, ...): that
// constructor failing is a broken invariant like any other.
template <class Config>
Config* new_config(int (*constructor)(Config**)) {
  Config* made = nullptr;
  FUZZ_REQUIRE(constructor(&made) == BACKOFF_OK, "a config constructor failed");
  return made;
}
