// backoff_jobs_work: claim a batch, run the handler on each job, complete the successes in one
// statement, fail the failures, wait when there is nothing due. With breakers (backoff_jobs_set_breaker),
// a job whose type's breaker is open is snoozed instead of run.
#include "worker_loop.hpp"

#include <unistd.h>

#include <algorithm>
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
    for (std::uint64_t i = first; i < size(); ++i) snooze_for(i, 0, "backoff_jobs_release");
  }
  // Hands job i back unrun, due again in delay_ns; its attempt is not spent.
  void snooze_for(std::uint64_t i, std::int64_t delay_ns, const char* function) {
    try {
      snooze(store_, id(i), token(i), delay_ns, function);
    } catch (const JobsError& error) {
      if (error.status() != BACKOFF_JOBS_ESTALE) throw;  // the job is someone else's now
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

// How long a job refused by its type's breaker waits: the breaker's wait, at least kMinSnoozeNs (a
// half-open breaker whose probe is out says 0: the job must not come straight back to this claim loop)
// and at most a lease's longest (an isolated breaker says forever: the job is refused again then).
constexpr std::int64_t kMinSnoozeNs = 1'000'000;
std::int64_t snooze_ns(std::int64_t breaker_wait_ns) { return std::clamp(breaker_wait_ns, kMinSnoozeNs, kMaxLeaseNs); }

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
  if (permit != 0) store.breakers->record(batch.type(i), permit, attempt, backoff_monotonic_now_ns() - started_ns, hint_ns);
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
  fail_ignoring_stale(store, batch.id(i), batch.token(i), text, verdict == Verdict::permanent, hint_ns < 0 ? 0 : hint_ns);
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
      KindBreakers::Admission admission{0, 0};
      if (store.breakers != nullptr) admission = store.breakers->admit(batch.type(i));
      if (store.breakers != nullptr && admission.permit == 0) {
        batch.snooze_for(i, snooze_ns(admission.wait_ns), "backoff_jobs_work");
        ++store.snoozed;
      } else {
        run_job(request, batch, i, admission.permit);
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
