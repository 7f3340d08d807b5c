// The C worker loop behind backoff_jobs_work.
#pragma once

#include <cstdint>

#include "store.hpp"

namespace backoff::jobs {

struct WorkRequest {
  backoff_jobs_store& store;
  const char* queue;
  std::uint32_t batch;
  std::int64_t lease_ns;
  std::uint64_t max_jobs;
  std::int64_t idle_exit_ns;
  backoff_jobs_handler_fn handler;
  void* user_data;
};

// Runs until a limit (BACKOFF_OK) or an interrupt (BACKOFF_ECANCELED); counts handled jobs in *handled.
int work(const WorkRequest& request, std::uint64_t* handled);

}  // namespace backoff::jobs
