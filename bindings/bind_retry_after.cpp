// parse_retry_after: the core's Retry-After parser. The value arrives as bytes (a header's raw octets), so
// no text decoding stands between a server and the parser; the result is int64 nanoseconds, or None for
// a value that is no hint.
#include <pybind11/stl.h>

#include <string_view>

#include "backoff/retry_after.hpp"
#include "bind.hpp"
#include "bind_time.hpp"  // the wait stays an int of nanoseconds in Python

namespace py = pybind11;

namespace backoff_python {

void bind_retry_after(py::module_& module) {
  module.def(
      "parse_retry_after",
      [](const py::bytes& value, std::int64_t now_unix_ns) {
        return backoff::parse_retry_after(std::string_view(value), now_unix_ns);
      },
      py::arg("value"), py::arg("now_unix_ns"));
}

}  // namespace backoff_python
