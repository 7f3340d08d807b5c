// The worker's side: enqueue, claim (with the sweep of expired leases), heartbeat, complete, fail,
// release and snooze, and wait. Complete, fail, heartbeat, release and snooze are fenced: their UPDATE
// names the lease token, so a worker whose lease was taken over changes nothing.
#include <algorithm>

#include "limits.hpp"
#include "ops.hpp"
#include "validate.hpp"
#include "vocabulary.hpp"

namespace backoff::jobs {
namespace {

bool postgres(const backoff_jobs_store& store) { return store.db->dialect() == BACKOFF_JOBS_DIALECT_POSTGRESQL; }

// A row locked for a failure: everything the retry decision needs, and the database's now.
constexpr const char* kFailureColumns = "id, attempt, max_attempts, policy, created_at, backoff_jobs_now_ns(), worker";
struct FailureRow {
  std::int64_t id, attempt, max_attempts;
  std::string policy;
  std::int64_t created_at, now;
  std::string worker;
};
FailureRow failure_row(const Result& r, std::size_t row, std::size_t first) {
  return {r.integer(row, first), r.integer(row, first + 1), r.integer(row, first + 2), r.at(row, first + 3).bytes,
          r.integer(row, first + 4), r.integer(row, first + 5), r.at(row, first + 6).bytes};
}

// The sweep runs with a claim at most this often per queue and store; wait() runs it whenever it sees
// an expired lease, so a dead worker's job comes back within a lease plus this.
constexpr std::int64_t kSweepEveryNs = 1'000'000'000;
constexpr int kSweepBatch = 100;

std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  return b > 0 && a > INT64_MAX - b ? INT64_MAX : a + b;
}

// Records a failed attempt of a locked, running job, and schedules or fails it as the engine decides.
Failed record_failure(backoff_jobs_store& store, const FailureRow& job, const std::string& error, bool permanent,
                      std::int64_t hint_ns) {
  std::int64_t delay_ns = BACKOFF_STOP;
  std::string kept = error;
  if (!permanent) {
    try {
      delay_ns = store.policies.retry_delay(job.policy, job.max_attempts, job.attempt, job.id, job.now - job.created_at,
                                            hint_ns);
    } catch (const JobsError& e) {
      // A stored policy this libbackoff cannot rebuild (a parameter it does not know) must not wedge the
      // queue: every sweep would fail on it. The job fails, saying why.
      if (e.status() == BACKOFF_ENOMEM) throw;
      kept = clipped_error((error + " (not retried: its policy cannot be rebuilt: " + e.what() + ")").c_str());
    }
  }
  const bool failed = delay_ns == BACKOFF_STOP;
  const Failed outcome{failed ? BACKOFF_JOBS_FAILED : BACKOFF_JOBS_SCHEDULED, failed ? 0 : saturating_add(job.now, delay_ns)};
  Connection& db = *store.db;
  db.query("UPDATE backoff_jobs SET state = $2, run_at = COALESCE($3, run_at), lease_expires_at = 0, finished_at = $4, "
           "last_error = $5 WHERE id = $1",
           {Value::of(job.id), Value::of(outcome.state), failed ? Value::null_value() : Value::of(outcome.run_at_ns),
            Value::of(failed ? job.now : 0), Value::text(kept)});
  db.query("INSERT INTO backoff_jobs_errors (job_id, attempt, at, error) VALUES ($1, $2, $3, $4)",
           {Value::of(job.id), Value::of(job.attempt), Value::of(job.now), Value::text(kept)});
  if (job.attempt > kMaxErrors) {
    db.query("DELETE FROM backoff_jobs_errors WHERE job_id = $1 AND attempt <= $2",
             {Value::of(job.id), Value::of(job.attempt - kMaxErrors)});
  }
  return outcome;
}

// Fails the queue's running jobs whose lease has expired, as a retryable "lease expired" attempt: the
// worker died, hung, or lost the database. SKIP LOCKED: two sweepers never take the same job.
void sweep_expired(backoff_jobs_store& store, std::string_view queue) {
  run(store, true, [&] {
    const Result expired = store.db->query(
        std::string("SELECT ") + kFailureColumns +
            " FROM backoff_jobs WHERE queue = $1 AND state = 1 AND lease_expires_at < backoff_jobs_now_ns() "
            "ORDER BY lease_expires_at LIMIT $2" + (postgres(store) ? " FOR UPDATE SKIP LOCKED" : ""),
        {Value::text(queue), Value::of(kSweepBatch)});
    for (std::size_t i = 0; i < expired.rows(); ++i) {
      const FailureRow job = failure_row(expired, i, 0);
      record_failure(store, job, "lease expired: worker '" + job.worker + "' did not complete, fail or heartbeat in time",
                     false, 0);
    }
    return 0;
  });
  const std::int64_t now = unix_now_ns();
  store.last_sweep_ns.visit(queue, [now] { return now; }, [now](std::int64_t& last) { last = now; });
}

}  // namespace

void explain_fence(backoff_jobs_store& store, const char* function, std::int64_t job_id, std::int64_t token,
                   int done_state) {
  const Result found =
      store.db->query("SELECT state, lease_token FROM backoff_jobs WHERE id = $1", {Value::of(job_id)});
  if (found.rows() == 0) {
    throw JobsError(BACKOFF_JOBS_ENOTFOUND, std::string(function) + ": job_id: no job " + std::to_string(job_id));
  }
  const std::int64_t state = found.integer(0, 0), current = found.integer(0, 1);
  if (state == done_state && current == token) return;
  throw JobsError(BACKOFF_JOBS_ESTALE, std::string(function) + ": lease_token: " + std::to_string(token) +
                                           " is not the lease of job " + std::to_string(job_id) + " (it is " +
                                           name_of(BACKOFF_JOBS_ENUM_STATE, static_cast<int>(state)) +
                                           " under lease token " + std::to_string(current) + ")");
}

// Runs a fenced UPDATE ($1 the job id, $2 its lease token) and explains, by ENOTFOUND or ESTALE, an
// update that changed nothing; `then` runs on a change, in the same unit of work.
template <class Then = void (*)(const Result&)>
Result fenced(backoff_jobs_store& store, const char* function, bool write, int done_state, const char* sql,
              const Params& params, Then then = [](const Result&) {}) {
  require_migrated(store);
  return run(store, write, [&] {
    Result changed = store.db->query(sql, params);
    if (changed.affected == 0) {
      explain_fence(store, function, params[0].integer, params[1].integer, done_state);
    } else {
      then(changed);
    }
    return changed;
  });
}

Enqueued enqueue(backoff_jobs_store& store, const backoff_jobs_statement& statement, const backoff_jobs_options* options) {
  require_migrated(store);
  return run(store, false, [&] {
    const Result inserted = store.db->query(statement.sql, statement.params);
    if (inserted.rows() == 1) return Enqueued{inserted.integer(0, 0), true};
    // The unique key is taken: report the job that holds it.
    const Result holder = store.db->query("SELECT id FROM backoff_jobs WHERE unique_key = $1",
                                          {Value::text(options->unique_key.value_or(""))});
    if (holder.rows() != 1) throw JobsError(BACKOFF_EINTERNAL, "enqueue: no row inserted and no unique key holder");
    return Enqueued{holder.integer(0, 0), false};
  });
}

backoff_jobs_rows* claim(backoff_jobs_store& store, const char* queue, std::uint32_t max_jobs, std::int64_t lease_ns,
                         const char* worker) {
  const std::string_view name = checked_name("queue", queue);
  check_claim_size("max_jobs", max_jobs);
  check_lease(lease_ns);
  const std::string_view worker_name = worker == nullptr || *worker == '\0' ? std::string_view() : checked_name("worker", worker);
  require_migrated(store);
  std::int64_t last = INT64_MIN;  // never swept, or dropped from the bounded memory of sweeps
  store.last_sweep_ns.visit_if_present(name, [&last](std::int64_t swept) { last = swept; });
  if (last == INT64_MIN || unix_now_ns() - last >= kSweepEveryNs) sweep_expired(store, name);
  const std::string sql =
      postgres(store)
          ? "WITH due AS (SELECT id FROM backoff_jobs WHERE queue = $1 AND state = 0 AND run_at <= backoff_jobs_now_ns() "
            "ORDER BY priority, run_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) "
            "UPDATE backoff_jobs AS j SET state = 1, attempt = j.attempt + 1, lease_token = j.lease_token + 1, "
            "lease_expires_at = backoff_jobs_now_ns() + $3, worker = $4 FROM due WHERE j.id = due.id RETURNING " +
                job_columns("j.")
          : "UPDATE backoff_jobs SET state = 1, attempt = attempt + 1, lease_token = lease_token + 1, "
            "lease_expires_at = backoff_jobs_now_ns() + $3, worker = $4 WHERE id IN (SELECT id FROM backoff_jobs "
            "WHERE queue = $1 AND state = 0 AND run_at <= backoff_jobs_now_ns() ORDER BY priority, run_at, id LIMIT $2) "
            "RETURNING " + job_columns();
  // SQLite: BEGIN IMMEDIATE, so claimers in other processes queue on the write lock instead of failing
  // to upgrade a read. PostgreSQL: one statement, its own transaction.
  Result claimed = run(store, !postgres(store), [&] {
    return store.db->query(sql, {Value::text(name), Value::of(max_jobs), Value::of(lease_ns), Value::text(worker_name)});
  });
  return new_rows("claim", kJobFields, std::move(claimed));
}

std::int64_t heartbeat(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token, std::int64_t lease_ns) {
  check_lease(lease_ns);
  const Result extended =
      fenced(store, "backoff_jobs_heartbeat", false, -1,
             "UPDATE backoff_jobs SET lease_expires_at = backoff_jobs_now_ns() + $3 WHERE id = $1 AND lease_token = $2 "
             "AND state = 1 RETURNING lease_expires_at",
             {Value::of(job_id), Value::of(token), Value::of(lease_ns)});
  return extended.rows() == 1 ? extended.integer(0, 0) : 0;
}

void complete(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token) {
  fenced(store, "backoff_jobs_complete", false, BACKOFF_JOBS_COMPLETED,
         "UPDATE backoff_jobs SET state = 2, finished_at = backoff_jobs_now_ns(), lease_expires_at = 0 "
         "WHERE id = $1 AND lease_token = $2 AND state = 1",
         {Value::of(job_id), Value::of(token)});
}

std::uint64_t complete_many(backoff_jobs_store& store, const std::vector<std::int64_t>& ids,
                            const std::vector<std::int64_t>& tokens) {
  require_migrated(store);
  if (ids.empty()) return 0;
  if (postgres(store)) {
    return run(store, false, [&] {
      return static_cast<std::uint64_t>(
          store.db
              ->query("UPDATE backoff_jobs AS j SET state = 2, finished_at = backoff_jobs_now_ns(), lease_expires_at = 0 "
                      "FROM unnest($1::bigint[], $2::bigint[]) AS d(id, token) "
                      "WHERE j.id = d.id AND j.lease_token = d.token AND j.state = 1",
                      {Value::list(ids), Value::list(tokens)})
              .affected);
    });
  }
  // SQLite: no round trips to save, one transaction (one fsync) for the batch.
  return run(store, true, [&] {
    std::uint64_t completed = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      completed += static_cast<std::uint64_t>(
          store.db
              ->query("UPDATE backoff_jobs SET state = 2, finished_at = backoff_jobs_now_ns(), lease_expires_at = 0 "
                      "WHERE id = $1 AND lease_token = $2 AND state = 1",
                      {Value::of(ids[i]), Value::of(tokens[i])})
              .affected);
    }
    return completed;
  });
}

Failed fail(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token, const char* error, bool permanent,
            std::int64_t hint_ns) {
  if (hint_ns < 0) throw_invalid("hint_ns", "must not be negative", static_cast<long long>(hint_ns));
  const std::string text = clipped_error(error);
  require_migrated(store);
  return run(store, true, [&] {
    const Result locked = store.db->query(std::string("SELECT state, lease_token, ") + kFailureColumns +
                                              " FROM backoff_jobs WHERE id = $1" + (postgres(store) ? " FOR UPDATE" : ""),
                                          {Value::of(job_id)});
    if (locked.rows() == 0 || locked.integer(0, 0) != BACKOFF_JOBS_RUNNING || locked.integer(0, 1) != token) {
      explain_fence(store, "backoff_jobs_fail", job_id, token, -1);
    }
    return record_failure(store, failure_row(locked, 0, 2), text, permanent, hint_ns);
  });
}

void release(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token) {
  snooze(store, job_id, token, 0, "backoff_jobs_release");
}

void snooze(backoff_jobs_store& store, std::int64_t job_id, std::int64_t token, std::int64_t delay_ns,
            const char* function) {
  if (delay_ns < 0) throw_invalid("delay_ns", "must not be negative", static_cast<long long>(delay_ns));
  // The claim's attempt is given back (attempt - 1) and the error is left as it was: the job did not run.
  fenced(store, function, true, -1,
         "UPDATE backoff_jobs SET state = 0, attempt = attempt - 1, run_at = backoff_jobs_now_ns() + $3, "
         "lease_expires_at = 0 WHERE id = $1 AND lease_token = $2 AND state = 1 RETURNING queue",
         {Value::of(job_id), Value::of(token), Value::of(delay_ns)},
         [&](const Result& released) { store.db->notify(released.at(0, 0).bytes); });
}

int wait(backoff_jobs_store& store, const char* queue, std::int64_t timeout_ns, int* woken) {
  const std::string_view name = checked_name("queue", queue);
  if (timeout_ns < 0) throw_invalid("timeout_ns", "must not be negative", static_cast<long long>(timeout_ns));
  require_migrated(store);
  // Without a wake-up, look again this often: the fallback that also catches a retry scheduled by
  // another worker after we computed our deadline.
  constexpr std::int64_t kFallbackPollNs = 1'000'000'000;
  const std::int64_t deadline = saturating_add(unix_now_ns(), timeout_ns);
  for (;;) {
    if (take_interrupt(store)) return BACKOFF_ECANCELED;
    // Listen first (PostgreSQL), then look: an enqueue between the two still wakes us. A wake-up (a
    // notification, another process's commit) only sends us back here to look: a claim is a write, and
    // idle workers must not take the write lock at every commit of a busy one.
    run(store, false, [&] { return store.db->wait_for_change(name, 0, store.interrupt_read); });
    const Result next = run(store, false, [&] {
      return store.db->query(
          "SELECT (SELECT min(run_at) FROM backoff_jobs WHERE queue = $1 AND state = 0), "
          "(SELECT min(lease_expires_at) FROM backoff_jobs WHERE queue = $1 AND state = 1), backoff_jobs_now_ns()",
          {Value::text(name)});
    });
    const std::int64_t now = next.integer(0, 2);
    if (!next.at(0, 0).null && next.integer(0, 0) <= now) return *woken = 1, BACKOFF_OK;
    if (!next.at(0, 1).null && next.integer(0, 1) < now) {
      sweep_expired(store, name);
      continue;
    }
    // The timeout runs on our clock; job times are the database's, so they count from its now.
    const std::int64_t left_ns = deadline - unix_now_ns();
    if (left_ns <= 0) return *woken = 0, BACKOFF_OK;
    std::int64_t wait_ns = std::min(left_ns, kFallbackPollNs);
    if (!next.at(0, 0).null) wait_ns = std::min(wait_ns, next.integer(0, 0) - now);
    if (!next.at(0, 1).null) wait_ns = std::min(wait_ns, next.integer(0, 1) - now + 1);
    const WaitResult result =
        run(store, false, [&] { return store.db->wait_for_change(name, wait_ns, store.interrupt_read); });
    if (result == WaitResult::interrupted) {
      take_interrupt(store);
      return BACKOFF_ECANCELED;
    }
  }
}

}  // namespace backoff::jobs
