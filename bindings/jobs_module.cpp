// libbackoff._jobs: libbackoff_jobs's C API (backoff_jobs.h), seen from Python. Private: use the
// libbackoff.jobs package, which gives it Python's shape (Queue, handlers, workers, exceptions).
//
// CLASSES
//   Store       one store connection and the calls libbackoff.jobs makes on it (jobs_bind_store.cpp)
//   EnqueueOptions  the options of one enqueue, None for the library's default (jobs_bind_store.cpp)
//   Error       a failed status: args (status, name, message), turned into libbackoff.jobs's exceptions
//
// FUNCTIONS
//   name_of, value_of, limit     the library's names and limits, asked instead of copied (jobs_bind_names.cpp)
#include <pybind11/pybind11.h>

#include <exception>
#include <string>

#include "jobs_bind.hpp"

namespace py = pybind11;

namespace backoff_jobs_python {
namespace {

// A failed status on its way to Python. Thrown with the GIL released (the message is read on the
// calling thread, where backoff_last_error() keeps it); pybind11 turns it into _jobs.Error with the GIL.
struct Failure : std::exception {
  int status;
  std::string message;
  Failure(int status_, std::string message_) : status(status_), message(std::move(message_)) {}
  const char* what() const noexcept override { return message.c_str(); }
};

PyObject* error_type = nullptr;

std::string status_name(int status) {
  const char* name = backoff_jobs_name_of(BACKOFF_JOBS_ENUM_STATUS, status);
  if (name == nullptr) name = backoff_name_of(BACKOFF_ENUM_STATUS, status);
  return name != nullptr ? name : "unknown";
}

}  // namespace

void raise_status(int status) {
  const char* message = backoff_last_error();
  throw Failure(status, message != nullptr && *message != '\0' ? message : backoff_jobs_strerror(status));
}

}  // namespace backoff_jobs_python

PYBIND11_MODULE(_jobs, module) {
  using namespace backoff_jobs_python;
  module.doc() = "libbackoff_jobs, the job queue. Private: use the libbackoff.jobs package.";
  error_type = PyErr_NewException("libbackoff._jobs.Error", PyExc_Exception, nullptr);
  module.attr("Error") = py::handle(error_type);
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const Failure& failure) {
      py::tuple args = py::make_tuple(failure.status, status_name(failure.status), failure.message);
      PyErr_SetObject(error_type, args.ptr());
    }
  });
  bind_names(module);
  bind_store(module);
}
