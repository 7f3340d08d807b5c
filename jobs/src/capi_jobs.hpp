// What the C entry points (capi_jobs_*.cpp) share: the store's re-entry guard.
#pragma once

#include "jobs_error.hpp"
#include "ops.hpp"

// Returns from the entry point when store is NULL, or when it is called from a backoff_jobs_work
// handler on the store that runs the handler (only heartbeat and interrupt may be).
#define JOBS_ENTER(store) \
  do { \
    JOBS_REQUIRE(store); \
    if ((store)->in_handler) { \
      return ::backoff::jobs::fail(BACKOFF_EREENTRANT, \
                                   std::string(__func__) + ": called from a backoff_jobs_work handler on its own store"); \
    } \
  } while (0)
