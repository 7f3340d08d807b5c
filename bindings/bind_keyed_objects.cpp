// KeyedObjects: the core's KeyedPool (keyed_pool.hpp) holding Python objects, one per key, made by a
// Python callable on the key's first use. CircuitBreakerPool keeps its per-key breakers in one, so that
// get() on a key already there is one call into C++, a lock-free look-up, and returns the same object: no
// wrapper is made per call.
//
// A plain CPython type rather than a pybind11 class, for the reason bind_breaker.cpp gives: get() is the
// whole cost of a hot pool look-up, and pybind11's dispatch took about half of it: 158 ns per get through
// pybind11, 87 ns as a METH_O method, the benchmark's own closure call (about 27 ns) included in both
// (bench/python/bench_scale.py).
//
// The GIL is held throughout, which every Python object the pool holds or drops needs: the pool calls
// `make` with no lock of its own held, and drops evicted objects after unlocking, so that neither user
// code nor a finaliser runs under the pool's mutex. The type takes no part in garbage collection, so what
// `make` refers to must not refer back to the pool (CircuitBreakerPool passes a module-level partial).
#include <Python.h>

#include <cstdint>
#include <string_view>

#include "backoff/keyed_pool.hpp"
#include "bind.hpp"
#include "fastcall.hpp"
#include "plain_type.hpp"

namespace py = pybind11;

namespace backoff_python {
namespace {

// Thrown through the pool when `make` raised: the Python exception is already set, and the pool, which
// makes the value inside `new Entry(...)`, frees what it allocated as the exception passes.
struct MakeRaised {};

struct KeyedObjectsObject {
  PyObject_HEAD
  backoff::KeyedPool<py::object>* objects;  // owned; null only if construction failed
  PyObject* make;                           // owned
};

KeyedObjectsObject* as_pool(PyObject* self) { return reinterpret_cast<KeyedObjectsObject*>(self); }

// KeyedObjects(max_keys, make)
PyObject* new_keyed_objects(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  long long max_keys = 0;
  PyObject* make = nullptr;
  static const char* const keywords[] = {"max_keys", "make", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "LO:KeyedObjects", const_cast<char**>(keywords), &max_keys,
                                   &make)) {
    return nullptr;
  }
  if (!PyCallable_Check(make)) {
    PyErr_Format(PyExc_TypeError, "make: expected a callable (got %R)", make);
    return nullptr;
  }
  PyObject* self = type->tp_alloc(type, 0);  // zeroed: objects and make start null
  if (self == nullptr) return nullptr;
  if (!core_call([&] { as_pool(self)->objects = new backoff::KeyedPool<py::object>(max_keys); })) {
    Py_DECREF(self);
    return nullptr;
  }
  Py_INCREF(make);
  as_pool(self)->make = make;
  return self;
}

void free_keyed_objects(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  delete as_pool(self)->objects;  // drops every value, whose finalisers may run here
  Py_CLEAR(as_pool(self)->make);
  type->tp_free(self);
  Py_DECREF(type);
}

// get(key): key's object, made by make(key) on its first use. Whatever make raises propagates, and the
// key stays absent.
PyObject* get(PyObject* self, PyObject* key) {
  std::string_view name;
  if (!text_arg(key, "key", &name)) return nullptr;
  KeyedObjectsObject* pool = as_pool(self);
  PyObject* found = nullptr;
  try {
    pool->objects->visit(
        name,
        [&] {
          PyObject* made = PyObject_CallOneArg(pool->make, key);
          if (made == nullptr) throw MakeRaised{};
          return py::reinterpret_steal<py::object>(made);
        },
        [&](const py::object& object) {
          found = object.ptr();
          Py_INCREF(found);
        });
  } catch (const MakeRaised&) {
    return nullptr;
  } catch (const std::exception& error) {  // std::bad_alloc: nothing may unwind into Python
    PyErr_SetString(PyExc_RuntimeError, error.what());
    return nullptr;
  }
  return found;
}

// values(): a list of the objects held now, the most recently placed first. Each is referenced while the
// pool's mutex is held; no Python code runs under it.
PyObject* values(PyObject* self, PyObject*) {
  PyObject* list = PyList_New(0);
  if (list == nullptr) return nullptr;
  bool appended = true;
  as_pool(self)->objects->for_each([&](const py::object& object) {
    appended = appended && PyList_Append(list, object.ptr()) == 0;
  });
  if (!appended) Py_CLEAR(list);
  return list;
}

PyObject* size(PyObject* self, PyObject*) { return PyLong_FromSize_t(as_pool(self)->objects->size()); }

PyObject* max_keys(PyObject* self, PyObject*) { return PyLong_FromLongLong(as_pool(self)->objects->max_keys()); }

// The "name($self, ...)\n--\n\n" prefix gives each method its __text_signature__ (for stubtest).
PyMethodDef keyed_objects_methods[] = {
    {"get", get, METH_O, "get($self, key, /)\n--\n\nkey's object, made by make(key) on the key's first use."},
    {"values", values, METH_NOARGS,
     "values($self, /)\n--\n\nThe objects held now, the most recently placed first."},
    {"size", size, METH_NOARGS, "size($self, /)\n--\n\nThe number of keys held."},
    {"max_keys", max_keys, METH_NOARGS, "max_keys($self, /)\n--\n\nThe most keys held."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

void bind_keyed_objects(py::module_& module) {
  add_type(module, {"libbackoff._core.KeyedObjects", static_cast<int>(sizeof(KeyedObjectsObject)), 0,
                    "KeyedObjects(max_keys, make)\n--\n\n"
                    "One object per key in bounded memory, made by make(key) on its first use; the key used "
                    "least recently makes room for a new one.",
                    new_keyed_objects, free_keyed_objects, nullptr, nullptr, keyed_objects_methods});
}

}  // namespace backoff_python
