// The enqueue statement: one INSERT that resolves the job's policy and max_attempts in SQL (the job's
// own, else its queue's row in backoff_jobs_queues, else the store default) and, on PostgreSQL, notifies
// the queue's idle workers when the transaction commits. backoff_jobs_enqueue runs it on the store's
// connection; backoff_jobs_enqueue_statement hands it to the caller to run in their own transaction.
#pragma once

#include <optional>
#include <string>

#include "connection.hpp"

struct backoff_jobs_options {
  std::int64_t priority = 0;
  std::optional<std::int64_t> run_at_ns;
  std::int64_t delay_ns = 0;
  std::optional<std::int64_t> max_attempts;
  std::optional<std::string> unique_key;
  std::optional<std::string> policy;  // the stored form (policy_text)
};

struct backoff_jobs_statement {
  std::string sql;
  backoff::jobs::Params params;
};

namespace backoff::jobs {

struct EnqueueRequest {
  std::string_view queue;
  std::string_view type;
  std::string_view payload;
  const backoff_jobs_options& options;
};

// Validates the request (names, payload size) and builds the statement for `dialect`, its placeholders
// written in `placeholder` style (a backoff_jobs_placeholder). `portable` writes SQLite's clock as SQL
// (julianday), for a connection without the store's backoff_jobs_now_ns function.
backoff_jobs_statement enqueue_statement(int dialect, int placeholder, bool portable, const char* queue,
                                         const char* type, const void* payload, std::uint64_t payload_size,
                                         const backoff_jobs_options* options);

}  // namespace backoff::jobs
