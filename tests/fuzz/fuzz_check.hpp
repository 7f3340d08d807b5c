// FUZZ_REQUIRE: the invariant check of every fuzz target.
//
// A broken invariant prints what was expected and the values seen, then aborts: libFuzzer saves the
// input as a crash artifact, and the corpus replay test fails. It is independent of NDEBUG, so release
// builds check exactly what sanitizer builds check.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_REQUIRE(condition, ...)                                                     \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n  ", __FILE__, __LINE__, #condition); \
      std::fprintf(stderr, __VA_ARGS__);                                                 \
      std::fputc('\n', stderr);                                                          \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
