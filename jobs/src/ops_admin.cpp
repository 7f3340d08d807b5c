// The operator's side: queue policies, requeue, cancel, list, errors, stats, purge.
#include "limits.hpp"
#include "ops.hpp"
#include "validate.hpp"
#include "vocabulary.hpp"

namespace backoff::jobs {
namespace {

// A queue exists once it has a policy or has had a job (not since purged). Each EXISTS probes one of
// the partial indexes, which together cover every state.
void require_known_queue(backoff_jobs_store& store, std::string_view queue) {
  const Result known = store.db->query(
      "SELECT CASE WHEN EXISTS (SELECT 1 FROM backoff_jobs_queues WHERE name = $1) "
      "OR EXISTS (SELECT 1 FROM backoff_jobs WHERE queue = $1 AND state = 0) "
      "OR EXISTS (SELECT 1 FROM backoff_jobs WHERE queue = $1 AND state = 1) "
      "OR EXISTS (SELECT 1 FROM backoff_jobs WHERE queue = $1 AND state >= 2) THEN 1 ELSE 0 END",
      {Value::text(queue)});
  if (known.integer(0, 0) == 0) throw JobsError(BACKOFF_EUNKNOWN, "queue: unknown queue " + quoted(queue));
}

// NULL for "every queue", else a known queue's name.
Value queue_filter(backoff_jobs_store& store, const char* queue) {
  if (queue == nullptr) return Value::null_value();
  const std::string_view name = checked_name("queue", queue);
  require_known_queue(store, name);
  return Value::text(name);
}

// Explains why a state change found no job to change: ENOTFOUND, or ESTATE naming the job's state.
[[noreturn]] void refuse_state(backoff_jobs_store& store, std::int64_t job_id, const char* rule) {
  const Result found = store.db->query("SELECT state FROM backoff_jobs WHERE id = $1", {Value::of(job_id)});
  if (found.rows() == 0) throw JobsError(BACKOFF_JOBS_ENOTFOUND, "job_id: no job " + std::to_string(job_id));
  throw JobsError(BACKOFF_JOBS_ESTATE, "job_id: job " + std::to_string(job_id) + " is " +
                                           name_of(BACKOFF_JOBS_ENUM_STATE, static_cast<int>(found.integer(0, 0))) + rule);
}

}  // namespace

void set_queue_policy(backoff_jobs_store& store, const char* queue, const backoff_policy* policy) {
  const std::string_view name = checked_name("queue", queue);
  require_migrated(store);
  const std::string text = policy != nullptr ? policy_text(policy) : std::string();
  run(store, false, [&] {
    if (policy == nullptr) return store.db->query("DELETE FROM backoff_jobs_queues WHERE name = $1", {Value::text(name)});
    return store.db->query(
        "INSERT INTO backoff_jobs_queues (name, policy, max_attempts) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET policy = excluded.policy, max_attempts = excluded.max_attempts",
        {Value::text(name), Value::text(text), Value::of(policy_max_attempts(text))});
  });
}

backoff_policy* queue_policy(backoff_jobs_store& store, const char* queue) {
  const std::string_view name = checked_name("queue", queue);
  require_migrated(store);
  const Result found = run(store, false, [&] {
    return store.db->query("SELECT policy FROM backoff_jobs_queues WHERE name = $1", {Value::text(name)});
  });
  const std::string text = found.rows() ? found.at(0, 0).bytes : default_policy_text();
  return policy_from_text(text, policy_max_attempts(text));
}

void requeue(backoff_jobs_store& store, std::int64_t job_id) {
  require_migrated(store);
  run(store, true, [&] {
    const Result done = store.db->query(
        "UPDATE backoff_jobs SET state = 0, attempt = 0, run_at = backoff_jobs_now_ns(), lease_expires_at = 0, "
        "finished_at = 0, last_error = '' WHERE id = $1 AND state IN (3, 4) RETURNING queue",
        {Value::of(job_id)});
    if (done.rows() == 0) refuse_state(store, job_id, "; only failed or cancelled jobs can be requeued");
    store.db->query("DELETE FROM backoff_jobs_errors WHERE job_id = $1", {Value::of(job_id)});
    store.db->notify(done.at(0, 0).bytes);
    return 0;
  });
}

std::uint64_t requeue_failed(backoff_jobs_store& store, const char* queue) {
  const std::string_view name = checked_name("queue", queue);
  require_migrated(store);
  return run(store, true, [&] {
    require_known_queue(store, name);
    store.db->query("DELETE FROM backoff_jobs_errors WHERE job_id IN "
                    "(SELECT id FROM backoff_jobs WHERE queue = $1 AND state = 3)",
                    {Value::text(name)});
    const Result done = store.db->query(
        "UPDATE backoff_jobs SET state = 0, attempt = 0, run_at = backoff_jobs_now_ns(), lease_expires_at = 0, "
        "finished_at = 0, last_error = '' WHERE queue = $1 AND state = 3",
        {Value::text(name)});
    if (done.affected > 0) store.db->notify(name);
    return static_cast<std::uint64_t>(done.affected);
  });
}

void cancel(backoff_jobs_store& store, std::int64_t job_id) {
  require_migrated(store);
  run(store, true, [&] {
    const Result done = store.db->query(
        "UPDATE backoff_jobs SET state = 4, finished_at = backoff_jobs_now_ns(), lease_expires_at = 0 "
        "WHERE id = $1 AND state IN (0, 1)",
        {Value::of(job_id)});
    if (done.affected == 0) refuse_state(store, job_id, "; only scheduled or running jobs can be cancelled");
    return 0;
  });
}

backoff_jobs_rows* list(backoff_jobs_store& store, const char* queue, int state, std::int64_t before_id,
                        std::uint32_t limit) {
  if (state != -1) check_state(state, "state");
  if (before_id < 0) throw_invalid("before_id", "must not be negative", static_cast<long long>(before_id));
  check_claim_size("limit", limit);
  require_migrated(store);
  Result found = run(store, false, [&] {
    return store.db->query("SELECT " + job_columns() +
                               " FROM backoff_jobs WHERE (CAST($1 AS TEXT) IS NULL OR queue = $1) AND ($2 < 0 OR state = $2) "
                               "AND (id < $3 OR $3 = 0) ORDER BY id DESC LIMIT $4",
                           {queue_filter(store, queue), Value::of(state), Value::of(before_id), Value::of(limit)});
  });
  return new_rows("list", kJobFields, std::move(found));
}

backoff_jobs_rows* get(backoff_jobs_store& store, std::int64_t job_id) {
  require_migrated(store);
  Result found = run(store, false, [&] {
    return store.db->query("SELECT " + job_columns() + " FROM backoff_jobs WHERE id = $1", {Value::of(job_id)});
  });
  if (found.rows() == 0) throw JobsError(BACKOFF_JOBS_ENOTFOUND, "job_id: no job " + std::to_string(job_id));
  return new_rows("list", kJobFields, std::move(found));
}

backoff_jobs_rows* errors(backoff_jobs_store& store, std::int64_t job_id) {
  require_migrated(store);
  Result found = run(store, false, [&] {
    if (store.db->query("SELECT 1 FROM backoff_jobs WHERE id = $1", {Value::of(job_id)}).rows() == 0) {
      throw JobsError(BACKOFF_JOBS_ENOTFOUND, "job_id: no job " + std::to_string(job_id));
    }
    return store.db->query(
        "SELECT job_id, attempt, at, error FROM backoff_jobs_errors WHERE job_id = $1 ORDER BY attempt, at",
        {Value::of(job_id)});
  });
  return new_rows("errors", kErrorFields, std::move(found));
}

backoff_jobs_rows* stats(backoff_jobs_store& store, const char* queue) {
  require_migrated(store);
  Result found = run(store, false, [&] {
    return store.db->query(
        "SELECT queue, state, count(*) FROM backoff_jobs WHERE (CAST($1 AS TEXT) IS NULL OR queue = $1) "
        "GROUP BY queue, state ORDER BY queue, state",
        {queue_filter(store, queue)});
  });
  return new_rows("stats", kStatsFields, std::move(found));
}

std::uint64_t purge(backoff_jobs_store& store, const char* queue, int state, std::int64_t older_than_ns) {
  check_state(state, "state");
  if (state < BACKOFF_JOBS_COMPLETED) {
    throw_invalid("state", "must be a finished state (completed, failed, cancelled)",
                  name_of(BACKOFF_JOBS_ENUM_STATE, state));
  }
  if (older_than_ns < 0) throw_invalid("older_than_ns", "must not be negative", static_cast<long long>(older_than_ns));
  require_migrated(store);
  return run(store, true, [&] {
    const Params params = {queue_filter(store, queue), Value::of(state), Value::of(older_than_ns)};
    const std::string which =
        "SELECT id FROM backoff_jobs WHERE (CAST($1 AS TEXT) IS NULL OR queue = $1) AND state = $2 "
        "AND finished_at <= backoff_jobs_now_ns() - $3";
    store.db->query("DELETE FROM backoff_jobs_errors WHERE job_id IN (" + which + ")", params);
    return static_cast<std::uint64_t>(
        store.db->query("DELETE FROM backoff_jobs WHERE id IN (" + which + ")", params).affected);
  });
}

}  // namespace backoff::jobs
