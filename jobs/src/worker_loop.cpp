// backoff_jobs_work: claim a batch, run the handler on each job, complete the successes in one
// statement, fail the failures, wait when there is nothing due. With breakers (backoff_jobs_set_breaker),
// a job whose type's breaker is open is snoozed instead of run (ops_breaker.cpp decides, for every loop).
#include "worker_loop.hpp"

#include <unistd.h>

#include <string>
#include <vector>

#include "limits.hpp"
#include "ops.hpp"
#include "validate.hpp"

namespace backoff::jobs {
namespace {

// What the handler's int says: complete, fail for good, or fail and retry.
enum class Verdict { complete, permanent, retry };
Verdict verdict_of(int attempt) {
  switch (attempt) {
    case BACKOFF_ATTEMPT_SUCCESS: return Verdict::complete;
    case BACKOFF_ATTEMPT_PERMANENT: return Verdict::permanent;
    default: return Verdict::retry;
  }
}

// Marks the store as inside a handler for the handler's duration, so that the entry points refuse
// re-entry (heartbeat and interrupt excepted).
struct InHandler {
  backoff_jobs_store& store;
  explicit InHandler(backoff_jobs_store& s) : store(s) { store.in_handler = true; }
  ~InHandler() { store.in_handler = false; }
};

class Batch {
 public:
  Batch(backoff_jobs_store& store, backoff_jobs_rows* rows) : store_(store), rows_(rows) {}
  ~Batch() { backoff_jobs_rows_free(rows_); }
  std::uint64_t size() const { return rows_->result.rows(); }
  const backoff_jobs_rows* rows() const { return rows_; }
  std::int64_t id(std::uint64_t i) const { return field_cell(*rows_, i, BACKOFF_JOBS_FIELD_ID, false).integer; }
  std::int64_t token(std::uint64_t i) const { return field_cell(*rows_, i, BACKOFF_JOBS_FIELD_LEASE_TOKEN, false).integer; }
  const char* type(std::uint64_t i) const { return field_cell(*rows_, i, BACKOFF_JOBS_FIELD_TYPE, true).bytes.c_str(); }

  void completed(std::uint64_t i) {
    ids_.push_back(id(i));
    tokens_.push_back(token(i));
  }
  void flush() {
    complete_many(store_, ids_, tokens_);
    ids_.clear();
    tokens_.clear();
  }
  // Hands back the jobs from `first` on, unrun: a worker that stops early does not sit on them.
  void release_from(std::uint64_t first) {
    for (std::uint64_t i = first; i < size(); ++i) {
      try {
        release(store_, id(i), token(i));
      } catch (const JobsError& error) {
        if (error.status() != BACKOFF_JOBS_ESTALE) throw;  // the job is someone else's now
      }
    }
  }

 private:
  backoff_jobs_store& store_;
  backoff_jobs_rows* rows_;
  std::vector<std::int64_t> ids_, tokens_;
};

void fail_ignoring_stale(backoff_jobs_store& store, std::int64_t id, std::int64_t token, const std::string& error,
                         bool permanent, std::int64_t hint_ns) {
  try {
    fail(store, id, token, error.c_str(), permanent, hint_ns);
  } catch (const JobsError& e) {
    if (e.status() != BACKOFF_JOBS_ESTALE) throw;  // the job is someone else's now
  }
}

// Asks job i's type's breaker (ops_breaker.cpp): true if the job may run under *permit, false if it was
// snoozed, or was found someone else's when about to be.
bool admitted(backoff_jobs_store& store, const Batch& batch, std::uint64_t i, std::uint64_t* permit) {
  try {
    const Admitted admission = breaker_admit(store, batch.type(i), batch.id(i), batch.token(i), "backoff_jobs_work");
    *permit = admission.permit;
    return admission.snooze_ns == 0;
  } catch (const JobsError& error) {
    if (error.status() != BACKOFF_JOBS_ESTALE) throw;  // the job is someone else's now
    return false;
  }
}

// Runs the handler on job i and settles it: completed with the batch, or failed now.
void run_job(const WorkRequest& request, Batch& batch, std::uint64_t i, std::uint64_t permit) {
  backoff_jobs_store& store = request.store;
  std::int64_t hint_ns = 0;
  char error[kMaxError + 1] = "";
  int attempt;
  const std::int64_t started_ns = backoff_monotonic_now_ns();
  {
    InHandler inside(store);
    attempt = request.handler(&hint_ns, error, sizeof error, batch.rows(), i, request.user_data);
  }
  if (hint_ns < 0) hint_ns = 0;
  breaker_record(store, batch.type(i), permit, attempt, hint_ns, backoff_monotonic_now_ns() - started_ns);
  error[kMaxError] = '\0';
  const Verdict verdict = verdict_of(attempt);
  if (verdict == Verdict::complete) {
    batch.completed(i);
    return;
  }
  std::string text = error;
  if (attempt != BACKOFF_ATTEMPT_RETRYABLE && attempt != BACKOFF_ATTEMPT_TIMEOUT && attempt != BACKOFF_ATTEMPT_THROTTLED &&
      verdict == Verdict::retry) {
    text = "handler returned " + std::to_string(attempt) + (text.empty() ? "" : ": " + text);
  }
  fail_ignoring_stale(store, batch.id(i), batch.token(i), text, verdict == Verdict::permanent, hint_ns);
}

}  // namespace

int work(const WorkRequest& request, std::uint64_t* handled) {
  backoff_jobs_store& store = request.store;
  checked_name("queue", request.queue);
  check_claim_size("batch", request.batch);
  check_lease(request.lease_ns);
  if (request.idle_exit_ns < 0) throw_invalid("idle_exit_ns", "must not be negative", static_cast<long long>(request.idle_exit_ns));
  // "host:pid", for the people reading a job's worker field.
  char host[64] = "";
  gethostname(host, sizeof host - 1);
  const std::string worker = std::string(host) + ":" + std::to_string(getpid());
  std::int64_t idle_since = unix_now_ns();
  for (;;) {
    if (take_interrupt(store)) return BACKOFF_ECANCELED;
    Batch batch(store, claim(store, request.queue, request.batch, request.lease_ns, worker.c_str()));
    if (batch.size() == 0) {
      const std::int64_t idle_ns = unix_now_ns() - idle_since;
      if (request.idle_exit_ns > 0 && idle_ns >= request.idle_exit_ns) return BACKOFF_OK;
      const std::int64_t wait_ns = request.idle_exit_ns > 0 ? request.idle_exit_ns - idle_ns : kMaxLeaseNs;
      int woken = 0;
      if (wait(store, request.queue, wait_ns, &woken) == BACKOFF_ECANCELED) return BACKOFF_ECANCELED;
      continue;
    }
    bool ran = false;
    for (std::uint64_t i = 0; i < batch.size(); ++i) {
      std::uint64_t permit = 0;
      if (admitted(store, batch, i, &permit)) {
        run_job(request, batch, i, permit);
        ++*handled;
        ran = true;
      }
      const bool limit = request.max_jobs != 0 && *handled >= request.max_jobs;
      if (limit || take_interrupt(store)) {
        batch.flush();
        batch.release_from(i + 1);
        return limit ? BACKOFF_OK : BACKOFF_ECANCELED;
      }
    }
    batch.flush();
    // A batch that was all snoozed ran no job: the worker is still idle.
    if (ran) idle_since = unix_now_ns();
  }
}

}  // namespace backoff::jobs
