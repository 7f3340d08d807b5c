// KeyedObjects: the core's KeyedPool (keyed_pool.hpp) holding Python objects, one per key, made by a
// Python callable on the key's first use. CircuitBreakerPool keeps its per-key breakers in one, so that
// get() on a key already there is one call into C++, a lock-free look-up, and returns the same object: no
// wrapper is made per call.
//
// The GIL is held throughout, which every Python object the pool holds or drops needs: the pool calls
// `make` with no lock of its own held, and drops evicted objects after unlocking, so that neither user
// code nor a finaliser runs under the pool's mutex.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>

#include "backoff/keyed_pool.hpp"
#include "bind.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

class KeyedObjects {
 public:
  KeyedObjects(std::int64_t max_keys, py::object make) : objects_(max_keys), make_(std::move(make)) {}

  py::object get(const py::handle& key) {
    const std::string_view name = text(key, "key");
    return objects_.visit(
        name, [&] { return make_(key); }, [](const py::object& object) { return object; });
  }

  std::size_t size() const noexcept { return objects_.size(); }
  std::int64_t max_keys() const noexcept { return objects_.max_keys(); }

 private:
  backoff::KeyedPool<py::object> objects_;
  const py::object make_;
};

}  // namespace

void bind_keyed_objects(py::module_& module) {
  py::class_<KeyedObjects>(module, "KeyedObjects")
      .def(py::init<std::int64_t, py::object>(), py::arg("max_keys"), py::arg("make"))
      .def("get", &KeyedObjects::get, py::arg("key"))
      .def("size", &KeyedObjects::size)
      .def("max_keys", &KeyedObjects::max_keys);
}

}  // namespace backoff_python
