// _jobs.Store: one backoff_jobs_store and the calls libbackoff.jobs makes on it, with the GIL released
// while the database works. The names and arguments are backoff_jobs.h's (without the prefix);
// out-parameters are returned.
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "jobs_bind.hpp"

namespace py = pybind11;

namespace backoff_jobs_python {
namespace {

using release_gil = py::call_guard<py::gil_scoped_release>;
using PolicyText = std::vector<std::pair<std::string, std::string>>;
using Owned = std::unique_ptr<backoff_policy, decltype(&backoff_policy_free)>;

// A libbackoff policy from (name, text) pairs, as backoff_config_set_text() reads them: the Python
// package's Policy hands its parameters over this way (the _core module holds C++ objects, not C handles).
Owned policy_from_text(const PolicyText& text) {
  backoff_config* raw_config = nullptr;
  check(backoff_config_new(&raw_config));
  const std::unique_ptr<backoff_config, decltype(&backoff_config_free)> config(raw_config, backoff_config_free);
  for (const auto& [name, value] : text) check(backoff_config_set_text(config.get(), name.c_str(), value.c_str()));
  backoff_policy* policy = nullptr;
  check(backoff_policy_new(&policy, config.get()));
  return Owned(policy, backoff_policy_free);
}

// A libbackoff breaker configuration from (name, text) pairs, as backoff_breaker_config_set_text() reads
// them, and an open policy's pairs: the Python package's breaker options travel this way, as policies do.
using OwnedBreakerConfig = std::unique_ptr<backoff_breaker_config, decltype(&backoff_breaker_config_free)>;
OwnedBreakerConfig breaker_config_from_text(const PolicyText& text, const std::optional<PolicyText>& open_policy) {
  backoff_breaker_config* raw = nullptr;
  check(backoff_breaker_config_new(&raw));
  OwnedBreakerConfig config(raw, backoff_breaker_config_free);
  for (const auto& [name, value] : text) check(backoff_breaker_config_set_text(raw, name.c_str(), value.c_str()));
  if (open_policy) check(backoff_breaker_config_set_open_policy(raw, policy_from_text(*open_policy).get()));
  return config;
}

// The options of one enqueue; None keeps the library's default.
struct EnqueueOptions {
  std::optional<int64_t> priority, run_at_ns, delay_ns, max_attempts;
  std::optional<std::string> unique_key;
  std::optional<PolicyText> policy;

  std::unique_ptr<backoff_jobs_options, decltype(&backoff_jobs_options_free)> build() const {
    backoff_jobs_options* raw = nullptr;
    check(backoff_jobs_options_new(&raw));
    std::unique_ptr<backoff_jobs_options, decltype(&backoff_jobs_options_free)> options(raw, backoff_jobs_options_free);
    const std::pair<int, const std::optional<int64_t>*> integers[] = {{BACKOFF_JOBS_OPT_PRIORITY, &priority},
                                                                     {BACKOFF_JOBS_OPT_RUN_AT_NS, &run_at_ns},
                                                                     {BACKOFF_JOBS_OPT_DELAY_NS, &delay_ns},
                                                                     {BACKOFF_JOBS_OPT_MAX_ATTEMPTS, &max_attempts}};
    for (const auto& [option, value] : integers) {
      if (value->has_value()) check(backoff_jobs_options_set_i64(raw, option, **value));
    }
    if (unique_key) check(backoff_jobs_options_set_text(raw, BACKOFF_JOBS_OPT_UNIQUE_KEY, unique_key->c_str()));
    if (policy) check(backoff_jobs_options_set_policy(raw, policy_from_text(*policy).get()));
    return options;
  }
};

// A Store.work handler: called with the GIL for each job, it returns (attempt result, hint_ns, error).
struct WorkContext {
  py::function handler;
  RowReader reader;
  std::exception_ptr escaped;  // a handler that raised instead of returning: re-raised after the loop
  backoff_jobs_store* store;
};

int run_handler(int64_t* out_hint_ns, char* error, uint64_t error_size, const backoff_jobs_rows* jobs,
                uint64_t index, void* user_data) {
  auto* context = static_cast<WorkContext*>(user_data);
  py::gil_scoped_acquire gil;
  try {
    const py::tuple result = context->handler(context->reader.read(jobs, index));
    *out_hint_ns = result[1].cast<int64_t>();
    const std::string text = result[2].cast<std::string>();
    if (error_size > 0) {
      const size_t size = std::min<size_t>(text.size(), static_cast<size_t>(error_size - 1));
      text.copy(error, size);
      error[size] = '\0';
    }
    return result[0].cast<int>();
  } catch (...) {
    // Only a bug of libbackoff.jobs gets here (its wrapper catches every handler exception): stop the
    // loop, hand the job back as a retryable failure, and raise the exception once the loop returns.
    context->escaped = std::current_exception();
    backoff_jobs_interrupt(context->store);
    return BACKOFF_ATTEMPT_RETRYABLE;
  }
}

class Store {
 public:
  explicit Store(const std::string& url) {
    py::gil_scoped_release unlocked;
    check(backoff_jobs_open(&store_, url.c_str()));
  }
  ~Store() { backoff_jobs_close(store_); }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  void close() {
    backoff_jobs_close(std::exchange(store_, nullptr));
  }
  int migrate() {
    int version = 0;
    check(backoff_jobs_migrate(&version, store_));
    return version;
  }
  int64_t now() {
    int64_t now_ns = 0;
    check(backoff_jobs_now(&now_ns, store_));
    return now_ns;
  }
  void queue_set_policy(const std::string& queue, const std::optional<PolicyText>& policy) {
    check(backoff_jobs_queue_set_policy(store_, queue.c_str(), policy ? policy_from_text(*policy).get() : nullptr));
  }

  std::pair<int64_t, bool> enqueue(const std::string& queue, const std::string& type, const std::string& payload,
                                   const EnqueueOptions& options) {
    int64_t id = 0;
    int inserted = 0;
    check(backoff_jobs_enqueue(&id, &inserted, store_, queue.c_str(), type.c_str(), payload.data(), payload.size(),
                               options.build().get()));
    return {id, inserted != 0};
  }

  // (sql, [parameters]) with each parameter an int, str, bytes or None, for the caller's DB-API cursor.
  py::tuple enqueue_statement(int placeholder, const std::string& queue, const std::string& type,
                              const std::string& payload, const EnqueueOptions& options) {
    backoff_jobs_statement* raw = nullptr;
    {
      py::gil_scoped_release unlocked;
      check(backoff_jobs_enqueue_statement(&raw, store_, placeholder, queue.c_str(), type.c_str(), payload.data(),
                                           payload.size(), options.build().get()));
    }
    const std::unique_ptr<backoff_jobs_statement, decltype(&backoff_jobs_statement_free)> statement(
        raw, backoff_jobs_statement_free);
    uint64_t count = 0;
    check(backoff_jobs_statement_param_count(&count, raw));
    py::list params;
    for (uint64_t index = 0; index < count; ++index) {
      int type_of = 0;
      int64_t number = 0;
      const void* bytes = nullptr;
      uint64_t size = 0;
      check(backoff_jobs_statement_param(&type_of, &number, &bytes, &size, raw, index));
      const char* data = static_cast<const char*>(bytes);
      switch (type_of) {
        case BACKOFF_JOBS_PARAM_INT64: params.append(number); break;
        case BACKOFF_JOBS_PARAM_TEXT: params.append(py::str(data, static_cast<size_t>(size))); break;
        case BACKOFF_JOBS_PARAM_BLOB: params.append(py::bytes(data, static_cast<size_t>(size))); break;
        default: params.append(py::none()); break;
      }
    }
    return py::make_tuple(py::str(backoff_jobs_statement_sql(raw)), params);
  }

  py::list claim(const std::string& queue, uint32_t max_jobs, int64_t lease_ns, const std::string& worker) {
    backoff_jobs_rows* rows = nullptr;
    {
      py::gil_scoped_release unlocked;
      check(backoff_jobs_claim(&rows, store_, queue.c_str(), max_jobs, lease_ns, worker.c_str()));
    }
    return rows_to_list(rows);
  }
  uint64_t complete_many(const std::vector<int64_t>& job_ids, const std::vector<int64_t>& lease_tokens) {
    uint64_t completed = 0;
    check(backoff_jobs_complete_many(&completed, store_, job_ids.data(), lease_tokens.data(),
                                     std::min(job_ids.size(), lease_tokens.size())));
    return completed;
  }
  std::pair<int, int64_t> fail(int64_t job_id, int64_t lease_token, const std::string& error, bool permanent,
                               int64_t hint_ns) {
    int state = 0;
    int64_t run_at_ns = 0;
    check(backoff_jobs_fail(&state, &run_at_ns, store_, job_id, lease_token, error.c_str(), permanent ? 1 : 0,
                            hint_ns));
    return {state, run_at_ns};
  }

  // True: work may be there; False: timed out; None: interrupted.
  std::optional<bool> wait(const std::string& queue, int64_t timeout_ns) {
    int woken = 0;
    const int status = backoff_jobs_wait(&woken, store_, queue.c_str(), timeout_ns);
    if (status == BACKOFF_ECANCELED) return std::nullopt;
    check(status);
    return woken != 0;
  }
  void interrupt() { check(backoff_jobs_interrupt(store_)); }
  // None removes the worker loop's breakers.
  void set_breaker(const std::optional<PolicyText>& breaker, const std::optional<PolicyText>& open_policy) {
    check(backoff_jobs_set_breaker(store_, breaker ? breaker_config_from_text(*breaker, open_policy).get() : nullptr));
  }
  // (permit, snooze_ns): snooze_ns 0 admits the job (permit 0 without breakers); > 0 says it was snoozed.
  std::pair<uint64_t, int64_t> breaker_admit(const std::string& type, int64_t job_id, int64_t lease_token) {
    uint64_t permit = 0;
    int64_t snooze_ns = 0;
    check(backoff_jobs_breaker_admit(&permit, &snooze_ns, store_, type.c_str(), job_id, lease_token));
    return {permit, snooze_ns};
  }
  void breaker_record(const std::string& type, uint64_t permit, int attempt, int64_t hint_ns, int64_t duration_ns) {
    check(backoff_jobs_breaker_record(store_, type.c_str(), permit, attempt, hint_ns, duration_ns));
  }
  uint64_t snoozed() {
    uint64_t count = 0;
    check(backoff_jobs_snoozed(&count, store_));
    return count;
  }

  // The C worker loop, calling `handler(job dict) -> (attempt result, hint_ns, error)`. Returns (jobs
  // handled, interrupted).
  std::pair<uint64_t, bool> work(const std::string& queue, uint32_t batch, int64_t lease_ns, uint64_t max_jobs,
                                 int64_t idle_exit_ns, const py::function& handler) {
    WorkContext context{handler, {}, nullptr, store_};
    uint64_t handled = 0;
    int status = 0;
    {
      py::gil_scoped_release unlocked;
      status = backoff_jobs_work(&handled, store_, queue.c_str(), batch, lease_ns, max_jobs, idle_exit_ns,
                                 run_handler, &context);
    }
    if (context.escaped) std::rethrow_exception(context.escaped);
    if (status != BACKOFF_ECANCELED) check(status);
    return {handled, status == BACKOFF_ECANCELED};
  }

  void requeue(int64_t job_id) { check(backoff_jobs_requeue(store_, job_id)); }
  uint64_t requeue_failed(const std::string& queue) {
    uint64_t count = 0;
    check(backoff_jobs_requeue_failed(&count, store_, queue.c_str()));
    return count;
  }
  void cancel(int64_t job_id) { check(backoff_jobs_cancel(store_, job_id)); }
  uint64_t purge(const std::optional<std::string>& queue, int state, int64_t older_than_ns) {
    uint64_t count = 0;
    check(backoff_jobs_purge(&count, store_, queue ? queue->c_str() : nullptr, state, older_than_ns));
    return count;
  }

  // The row-set calls: the database call without the GIL, the conversion with it.
  template <class Call>
  py::list rows(Call&& call) {
    backoff_jobs_rows* rows = nullptr;
    {
      py::gil_scoped_release unlocked;
      check(call(&rows));
    }
    return rows_to_list(rows);
  }

  backoff_jobs_store* handle() { return store_; }

 private:
  backoff_jobs_store* store_ = nullptr;
};

}  // namespace

void bind_store(py::module_& module) {
  py::class_<EnqueueOptions>(module, "EnqueueOptions")
      .def(py::init<>())
      .def_readwrite("priority", &EnqueueOptions::priority)
      .def_readwrite("run_at_ns", &EnqueueOptions::run_at_ns)
      .def_readwrite("delay_ns", &EnqueueOptions::delay_ns)
      .def_readwrite("max_attempts", &EnqueueOptions::max_attempts)
      .def_readwrite("unique_key", &EnqueueOptions::unique_key)
      .def_readwrite("policy", &EnqueueOptions::policy);

  py::class_<Store>(module, "Store")
      .def(py::init<const std::string&>(), py::arg("url"))
      .def("close", &Store::close, release_gil())
      .def("migrate", &Store::migrate, release_gil())
      .def("now", &Store::now, release_gil())
      .def("queue_set_policy", &Store::queue_set_policy, py::arg("queue"), py::arg("policy"), release_gil())
      .def("enqueue", &Store::enqueue, py::arg("queue"), py::arg("type"), py::arg("payload"), py::arg("options"),
           release_gil())
      .def("enqueue_statement", &Store::enqueue_statement, py::arg("placeholder"), py::arg("queue"),
           py::arg("type"), py::arg("payload"), py::arg("options"))
      .def("claim", &Store::claim, py::arg("queue"), py::arg("max_jobs"), py::arg("lease_ns"), py::arg("worker"))
      .def("complete_many", &Store::complete_many, py::arg("job_ids"), py::arg("lease_tokens"), release_gil())
      .def("fail", &Store::fail, py::arg("job_id"), py::arg("lease_token"), py::arg("error"), py::arg("permanent"),
           py::arg("hint_ns"), release_gil())
      .def("wait", &Store::wait, py::arg("queue"), py::arg("timeout_ns"), release_gil())
      .def("interrupt", &Store::interrupt)
      .def("set_breaker", &Store::set_breaker, py::arg("breaker"), py::arg("open_policy"), release_gil())
      .def("breaker_admit", &Store::breaker_admit, py::arg("type"), py::arg("job_id"), py::arg("lease_token"),
           release_gil())
      .def("breaker_record", &Store::breaker_record, py::arg("type"), py::arg("permit"), py::arg("attempt"),
           py::arg("hint_ns"), py::arg("duration_ns"))
      .def("snoozed", &Store::snoozed)
      .def("work", &Store::work, py::arg("queue"), py::arg("batch"), py::arg("lease_ns"), py::arg("max_jobs"),
           py::arg("idle_exit_ns"), py::arg("handler"))
      .def("requeue", &Store::requeue, py::arg("job_id"), release_gil())
      .def("requeue_failed", &Store::requeue_failed, py::arg("queue"), release_gil())
      .def("cancel", &Store::cancel, py::arg("job_id"), release_gil())
      .def("purge", &Store::purge, py::arg("queue"), py::arg("state"), py::arg("older_than_ns"), release_gil())
      .def("list", [](Store& self, const std::optional<std::string>& queue, int state, int64_t before_id,
                      uint32_t limit) {
        return self.rows([&](backoff_jobs_rows** out) {
          return backoff_jobs_list(out, self.handle(), queue ? queue->c_str() : nullptr, state, before_id, limit);
        });
      }, py::arg("queue"), py::arg("state"), py::arg("before_id"), py::arg("limit"))
      .def("get", [](Store& self, int64_t job_id) {
        return self.rows([&](backoff_jobs_rows** out) { return backoff_jobs_get(out, self.handle(), job_id); });
      }, py::arg("job_id"))
      .def("errors", [](Store& self, int64_t job_id) {
        return self.rows([&](backoff_jobs_rows** out) { return backoff_jobs_errors(out, self.handle(), job_id); });
      }, py::arg("job_id"))
      .def("stats", [](Store& self, const std::optional<std::string>& queue) {
        return self.rows([&](backoff_jobs_rows** out) {
          return backoff_jobs_stats(out, self.handle(), queue ? queue->c_str() : nullptr);
        });
      }, py::arg("queue"));
}

}  // namespace backoff_jobs_python
