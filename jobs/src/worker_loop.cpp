// backoff_jobs_work: claim a batch, run the handler on each job, complete the successes in one
// statement, fail the failures, wait when there is nothing due.
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
        if (error.status() != BACKOFF_JOBS_ESTALE) throw;
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
    for (std::uint64_t i = 0; i < batch.size(); ++i) {
      std::int64_t hint_ns = 0;
      char error[kMaxError + 1] = "";
      int attempt;
      {
        InHandler inside(store);
        attempt = request.handler(&hint_ns, error, sizeof error, batch.rows(), i, request.user_data);
      }
      error[kMaxError] = '\0';
      ++*handled;
      const Verdict verdict = verdict_of(attempt);
      if (verdict == Verdict::complete) {
        batch.completed(i);
      } else {
        std::string text = error;
        if (attempt != BACKOFF_ATTEMPT_RETRYABLE && attempt != BACKOFF_ATTEMPT_TIMEOUT &&
            attempt != BACKOFF_ATTEMPT_THROTTLED && verdict == Verdict::retry) {
          text = "handler returned " + std::to_string(attempt) + (text.empty() ? "" : ": " + text);
        }
        fail_ignoring_stale(store, batch.id(i), batch.token(i), text, verdict == Verdict::permanent, hint_ns < 0 ? 0 : hint_ns);
      }
      const bool limit = request.max_jobs != 0 && *handled >= request.max_jobs;
      if (limit || take_interrupt(store)) {
        batch.flush();
        batch.release_from(i + 1);
        return limit ? BACKOFF_OK : BACKOFF_ECANCELED;
      }
    }
    batch.flush();
    idle_since = unix_now_ns();
  }
}

}  // namespace backoff::jobs
